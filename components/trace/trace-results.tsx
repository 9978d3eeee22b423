import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ExportLink } from "@/components/exports/export-link";
import { TraceStateBadge } from "@/components/trace/trace-state-badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { TraceList } from "@/lib/trace/schemas";
import { traceSearchString, type TraceParam } from "@/lib/trace/search";

type Props = { list: TraceList; given: Partial<Record<TraceParam, string>>; paged: boolean };

/** One page of a search: a row per message, recipient and connector, each opening its story; paged by links, so the URL holds the page too. */
export async function TraceResults({ list, given, paged }: Readonly<Props>) {
  const [t, tc, format] = await Promise.all([getTranslations("trace"), getTranslations(), getFormatter()]);
  const when = (iso: string) => format.dateTime(new Date(iso), "long");
  // Rows name their times briefly; the heading above names the zone, the story the seconds.
  const brief = (iso: string) => format.dateTime(new Date(iso), "short");
  return (
    <section aria-labelledby="trace-results">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="trace-results" className="text-sm text-slate-700">
          {t("rangeShown", { from: when(list.range.from), to: when(list.range.to) })}
        </h2>
        <ExportLink href={`/api/trace/export${traceSearchString(given)}`} />
      </div>
      {list.items.length === 0 ? (
        <EmptyState title={t("emptyTitle")} body={t("emptyBody")} />
      ) : (
        <Table caption={t("caption")}>
          <thead className="bg-slate-50">
            <tr>
              <Th>{t("columns.firstAttempt")}</Th>
              <Th>{t("columns.message")}</Th>
              <Th>{t("columns.sender")}</Th>
              <Th>{t("columns.recipient")}</Th>
              <Th>{t("columns.state")}</Th>
              <Th>{t("columns.attempts")}</Th>
              <Th>{t("columns.lastAttempt")}</Th>
              <Th>{t("columns.lastCode")}</Th>
              <Th>{t("columns.connector")}</Th>
              <Th>{t("columns.source")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.items.map((r) => (
              <tr key={r.id} data-testid="trace-row">
                <Td className="whitespace-nowrap">{brief(r.firstAttemptAt)}</Td>
                <Td className="min-w-56 max-w-xs break-all font-mono text-xs">
                  <Link
                    href={`/trace/messages/${r.id}`}
                    className="text-blue-800 hover:underline"
                    aria-label={t("openStory", { messageId: r.messageId, recipient: r.recipient || t("noRecipient") })}
                  >
                    {r.messageId}
                  </Link>
                </Td>
                <Td className="min-w-48 break-all font-mono text-xs">{r.sender ?? "—"}</Td>
                <Td className="min-w-56 break-all font-mono text-xs">{r.recipient || "—"}</Td>
                <Td><TraceStateBadge state={r.state} /></Td>
                <Td className="text-right tabular-nums">{r.attempts}</Td>
                <Td className="whitespace-nowrap">{brief(r.lastAttemptAt)}</Td>
                <Td className="whitespace-nowrap font-mono text-xs">{r.lastCode ?? "—"}</Td>
                <Td className="min-w-40">{r.connector.name}</Td>
                <Td className="whitespace-nowrap text-xs">{tc.has(`eventSource.${r.source}`) ? tc(`eventSource.${r.source}`) : r.source}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {paged || list.nextCursor ? (
        <nav aria-label={t("pager")} className="flex items-center justify-end gap-2 pt-3">
          {paged ? <Link className={buttonClass("secondary", "sm")} href={`/trace${traceSearchString(given)}`}>{t("firstPage")}</Link> : null}
          {list.nextCursor ? (
            <Link className={buttonClass("secondary", "sm")} href={`/trace${traceSearchString(given, { cursor: list.nextCursor })}`}>
              {t("nextPage")} <span aria-hidden="true">→</span>
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
