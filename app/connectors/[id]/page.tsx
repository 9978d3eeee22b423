import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { ConnectorHistoryView } from "@/components/connectors/connector-history-view";
import { historyViewFromSearch, historyViewToSearch, type HistoryView } from "@/components/connectors/history-url";
import { idParamSchema } from "@/lib/alerts/schemas";
import { namedRangeQuery } from "@/lib/connectors/history-range";
import { getConnectorHistory, listConnectorEvents } from "@/lib/connectors/queries";
import { eventsQuerySchema, historyQuerySchema } from "@/lib/connectors/schemas";
import { readForPage } from "@/lib/db/reader";
import { AppError } from "@/lib/http/errors";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("connectors");
  return { title: t("history") };
}

// No Suspense around the read: an unknown id must answer 404 before anything streams.
export default async function ConnectorHistoryPage({ params, searchParams }: Readonly<{ params: Params; searchParams: SearchParams }>) {
  const user = await requirePageUser();
  await connection();
  const parsed = idParamSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const view = historyViewFromSearch(await searchParams);
  const initial = await readHistory(parsed.data.id, view);
  if (!initial) notFound();
  return <ConnectorHistoryView id={parsed.data.id} initial={initial} canValidate={can(user.role, "remediate")} />;
}

async function readHistory(id: number, view: HistoryView) {
  const now = new Date();
  try {
    const [history, events] = await readForPage((reader) =>
      Promise.all([
        getConnectorHistory(reader, id, historyQuerySchema.parse(namedRangeQuery(view.range, now)), now),
        listConnectorEvents(reader, id, eventsQuerySchema.parse({ status: view.status, code: view.code })),
      ]),
    );
    return { view: historyViewToSearch(view), history, events, at: now.getTime() };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}
