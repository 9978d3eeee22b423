"use client";

import { useFormatter, useTranslations } from "next-intl";
import { CodeOptions } from "@/components/alerts/code-label";
import { useConnectorEvents } from "@/components/connectors/connector-queries";
import type { HistoryView } from "@/components/connectors/history-url";
import { ExportLink } from "@/components/exports/export-link";
import { Badge, type Tone } from "@/components/ui/badge";
import { SelectField } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { useCursorTrail } from "@/components/ui/use-cursor-trail";
import { Panel } from "@/components/ui/panel";
import { ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { DeliveryEventView, EventsPage } from "@/lib/connectors/schemas";
import { EVENT_STATUSES } from "@/lib/db/enums";

const STATUS_TONE: Record<DeliveryEventView["status"], Tone> = { DEFERRED: "warning", DELIVERED: "success", FAILED: "danger", EXPIRED: "danger" };

type Props = {
  connectorId: number;
  view: HistoryView;
  onFilter: (patch: Partial<HistoryView>) => void;
  initial?: { data: EventsPage; at: number };
};

/** The connector's delivery events, newest first, filtered by result and code, page by page. */
export function ConnectorEvents({ connectorId, view, onFilter, initial }: Readonly<Props>) {
  const t = useTranslations();
  const format = useFormatter();
  const pages = useCursorTrail();
  const cursor = pages.cursor;
  const events = useConnectorEvents(connectorId, { status: view.status, code: view.code, cursor }, cursor === undefined ? initial : undefined);
  const filter = (patch: Partial<HistoryView>) => {
    pages.reset();
    onFilter(patch);
  };

  return (
    <Panel id="connector-events" title={t("history.eventsTitle")}>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div className="grid flex-1 gap-3 sm:grid-cols-2 lg:max-w-2xl">
          <SelectField id="events-status" label={t("history.eventStatusFilter")} value={view.status ?? ""} onChange={(e) => filter({ status: EVENT_STATUSES.find((s) => s === e.target.value) })}>
            <option value="">{t("history.allStatuses")}</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`eventStatus.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id="events-code" label={t("alerts.codeFilter")} value={view.code ?? ""} onChange={(e) => filter({ code: e.target.value || undefined })}>
            <option value="">{t("alerts.allCodes")}</option>
            <CodeOptions />
          </SelectField>
        </div>
        <ExportLink href={`/api/connectors/${connectorId}/events/export${eventsSearch(view)}`} />
      </div>
      {events.isPending ? <SkeletonRows rows={5} label={t("common.loading")} /> : null}
      {events.isError ? <ErrorState title={t("history.loadError")} message={events.error.message} retryLabel={t("common.retry")} onRetry={() => events.refetch()} /> : null}
      {events.data && events.data.items.length === 0 ? <p className="text-sm text-slate-600">{t("history.eventsEmpty")}</p> : null}
      {events.data && events.data.items.length > 0 ? (
        <div aria-busy={events.isPlaceholderData} className={events.isPlaceholderData ? "opacity-60" : ""}>
          <Table caption={t("history.eventsCaption")}>
            <thead className="bg-slate-50">
              <tr>
                <Th>{t("history.occurredAt")}</Th>
                <Th>{t("history.result")}</Th>
                <Th>{t("history.code")}</Th>
                <Th>{t("alert.recipient")}</Th>
                <Th>{t("history.destination")}</Th>
                <Th>{t("history.details")}</Th>
                <Th>{t("history.source")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.data.items.map((e) => (
                <tr key={e.id}>
                  <Td className="whitespace-nowrap">{format.dateTime(new Date(e.occurredAt), "long")}</Td>
                  <Td>
                    <Badge tone={STATUS_TONE[e.status]}>{t(`eventStatus.${e.status}`)}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap font-mono text-xs">{e.errorCode ?? "—"}</Td>
                  <Td className="font-mono text-xs">{e.recipient ?? "—"}</Td>
                  <Td className="font-mono text-xs">{e.destination ?? "—"}</Td>
                  <Td className="max-w-md text-xs text-slate-700">
                    <span className="line-clamp-2 break-words" title={e.errorDetails ?? undefined}>
                      {e.errorDetails ?? "—"}
                    </span>
                  </Td>
                  <Td className="whitespace-nowrap text-xs">{t.has(`eventSource.${e.source}`) ? t(`eventSource.${e.source}`) : e.source}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      ) : null}
      <Pager
        label={t("common.pagination")}
        previousLabel={t("common.previousPage")}
        nextLabel={t("common.nextPage")}
        onPrevious={pages.back}
        onNext={events.isPlaceholderData ? undefined : pages.forward(events.data?.nextCursor)}
      />
    </Panel>
  );
}

/** The events list's filters as the export's query string. */
function eventsSearch(view: HistoryView): string {
  const params = new URLSearchParams();
  if (view.status) params.set("status", view.status);
  if (view.code) params.set("code", view.code);
  const search = params.toString();
  return search ? `?${search}` : "";
}
