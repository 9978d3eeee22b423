"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useAlertMessages } from "@/components/alerts/alert-queries";
import { Badge, type Tone } from "@/components/ui/badge";
import { Pager } from "@/components/ui/pager";
import { useCursorTrail } from "@/components/ui/use-cursor-trail";
import { Panel } from "@/components/ui/panel";
import { ErrorState } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { AlertDetail, QueuedMessageView } from "@/lib/alerts/schemas";

const QUEUE_LIFETIME_MS = 24 * 3_600_000;
const STATE_TONE: Record<QueuedMessageView["state"], Tone> = {
  QUEUED: "warning",
  DELIVERED: "success",
  FAILED: "danger",
  EXPIRED: "danger",
  REJECTED: "neutral",
};

type Props = {
  alertId: number;
  firstPage: AlertDetail["messages"];
  /** When the server rendered the page: the first "time left" must match on both sides. */
  renderedAt: number;
};

/** The alert's messages, queued ones first, each with the time left before the 24-hour expiry. */
export function QueuedMessages({ alertId, firstPage, renderedAt }: Readonly<Props>) {
  const t = useTranslations();
  const pages = useCursorTrail();
  const cursor = pages.cursor;
  const later = useAlertMessages(alertId, cursor);
  const page = cursor === undefined ? firstPage : later.data;
  // The first page comes with the alert; only a later page is ever on its way.
  const loading = cursor !== undefined && later.isPlaceholderData;

  return (
    <Panel id="alert-messages" title={t("alert.messagesTitle")} description={t("alert.messagesIntro")}>
      {later.isError ? <ErrorState title={t("common.errorTitle")} message={later.error.message} retryLabel={t("common.retry")} onRetry={() => later.refetch()} /> : null}
      {page && page.items.length === 0 ? <p className="text-sm text-slate-600">{t("alert.messagesEmpty")}</p> : null}
      {page && page.items.length > 0 ? (
        <div aria-busy={loading} className={loading ? "opacity-60" : ""}>
          <Table caption={t("alert.messagesCaption")}>
            <thead className="bg-slate-50">
              <tr>
                <Th>{t("alert.recipient")}</Th>
                <Th>{t("alert.sender")}</Th>
                <Th>{t("alert.state")}</Th>
                <Th>{t("alert.firstAttempt")}</Th>
                <Th className="text-right">{t("alert.attempts")}</Th>
                <Th>{t("alert.timeLeft")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.items.map((m) => (
                <MessageRow key={m.id} message={m} renderedAt={renderedAt} />
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
        onNext={pages.forward(page?.nextCursor)}
      />
    </Panel>
  );
}

function MessageRow({ message: m, renderedAt }: Readonly<{ message: QueuedMessageView; renderedAt: number }>) {
  const t = useTranslations();
  const format = useFormatter();
  const date = (iso: string) => format.dateTime(new Date(iso), "short");
  return (
    <tr>
      <Td className="font-mono text-xs">{m.recipient || "—"}</Td>
      <Td className="font-mono text-xs text-slate-600">{m.sender ?? "—"}</Td>
      <Td>
        <Badge tone={STATE_TONE[m.state]}>{t(`queueState.${m.state}`)}</Badge>
      </Td>
      <Td className="whitespace-nowrap">{date(m.firstAttemptAt)}</Td>
      <Td className="text-right tabular-nums">{format.number(m.attempts, "integer")}</Td>
      <Td className="whitespace-nowrap">
        {m.state === "QUEUED" ? (
          <TimeLeft expiresAt={m.expiresAt} renderedAt={renderedAt} />
        ) : m.ndrAt ? (
          t("alert.expiredAt", { time: date(m.ndrAt) })
        ) : m.settledAt ? (
          t("alert.settledAt", { time: date(m.settledAt) })
        ) : (
          "—"
        )}
      </Td>
    </tr>
  );
}

function TimeLeft({ expiresAt, renderedAt }: Readonly<{ expiresAt: string; renderedAt: number }>) {
  const t = useTranslations("alert");
  const format = useFormatter();
  const now = useTickingNow(renderedAt);
  const left = Math.max(0, Date.parse(expiresAt) - now.getTime());
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  const elapsed = Math.min(100, Math.round(((QUEUE_LIFETIME_MS - left) / QUEUE_LIFETIME_MS) * 100));
  const urgent = left < 3_600_000;
  return (
    <div className="min-w-36" title={t("expires") + " " + format.dateTime(new Date(expiresAt), "long")}>
      <span className={urgent ? "font-medium text-red-800" : "text-slate-800"}>{t("timeLeftValue", { hours, minutes })}</span>
      <div className="mt-1 h-1.5 w-full rounded-full bg-slate-100" aria-hidden="true">
        <div className={`h-1.5 rounded-full ${urgent ? "bg-red-600" : "bg-amber-500"}`} style={{ width: `${elapsed}%` }} />
      </div>
    </div>
  );
}

/** The server's render time first (so hydration agrees), then the clock every 30 s. */
function useTickingNow(renderedAt: number): Date {
  const [tick, setTick] = useState<Date | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setTick(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return tick ?? new Date(renderedAt);
}
