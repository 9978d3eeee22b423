import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { Suspense } from "react";
import { PageHeader } from "@/components/layout/page-header";
import { TraceForm } from "@/components/trace/trace-form";
import { TraceResults } from "@/components/trace/trace-results";
import { Notice, SkeletonRows } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import type { Actor } from "@/lib/auth/roles";
import { listConnectorNames } from "@/lib/connectors/queries";
import { db } from "@/lib/db/client";
import { readForPage } from "@/lib/db/reader";
import { AppError } from "@/lib/http/errors";
import { traceSearchString, type TraceIssue, type TraceParam, type TraceSearch } from "@/lib/trace/search";
import { parseSearch, runTraceSearch, traceRangeDays } from "@/lib/trace/service";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("trace");
  return { title: t("title") };
}

// The search lives in the URL and is answered here on the server, page by page through links:
// a reload or a shared link shows the same results, and a trace (history, not a live view) needs no polling.
export default async function TracePage({ searchParams }: Readonly<{ searchParams: SearchParams }>) {
  const user = await requirePageUser();
  const t = await getTranslations("trace");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro", { days: traceRangeDays() })} />
      <Suspense fallback={<SkeletonRows rows={8} label={t("title")} />}>
        <TraceSearchView user={user} searchParams={searchParams} />
      </Suspense>
      <p className="mt-6 text-xs text-slate-600">{t("audited")}</p>
    </>
  );
}

async function TraceSearchView({ user, searchParams }: Readonly<{ user: Actor; searchParams: SearchParams }>) {
  await connection();
  const params = await searchParams;
  const [t, connectors] = await Promise.all([getTranslations("trace"), readForPage(listConnectorNames)]);
  const parsed = parseSearch(params);
  // Any cursor is tried: one this server did not hand out is answered with where to start again.
  const cursor = (Array.isArray(params.cursor) ? params.cursor[0] : params.cursor) || undefined;
  const given = parsed.ok ? parsed.search.given : parsed.given;
  const issues = parsed.ok ? [] : parsed.issues;
  const say = (i: TraceIssue) => t(`issues.${i.reason}`, { max: i.max ?? 0 });
  const errors: Partial<Record<TraceParam, string>> = {};
  for (const i of issues) if (i.field !== "limit") errors[i.field] ??= say(i);
  return (
    <>
      <TraceForm key={traceSearchString(given)} given={given} connectors={connectors} errors={errors} rangeDays={traceRangeDays()} />
      {parsed.ok ? (
        await results(user, parsed.search, cursor)
      ) : (
        <Notice>
          <span className="font-semibold">{t("invalidTitle")}</span>
          <ul className="mt-1 list-disc pl-5" data-testid="trace-issues">
            {issues.map((i) => (
              <li key={`${i.field}-${i.reason}`}>{t("issue", { field: t(`fields.${i.field}`), reason: say(i) })}</li>
            ))}
          </ul>
        </Notice>
      )}
    </>
  );
}

/** The page of results, or, for a page link whose cursor this server did not hand out, where to start again. */
async function results(user: Actor, search: TraceSearch, cursor: string | undefined) {
  try {
    return <TraceResults list={await runTraceSearch(readForPage, db(), user, search, cursor)} given={search.given} paged={cursor !== undefined} />;
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    const t = await getTranslations("trace");
    return (
      <Notice>
        {t("badCursor")}{" "}
        <Link className="font-medium text-blue-800 underline" href={`/trace${traceSearchString(search.given)}`}>{t("firstPage")}</Link>
      </Notice>
    );
  }
}
