"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useNotificationLog } from "@/components/notifications/notify-queries";
import { triggerKey } from "@/components/notifications/rule-form";
import { Badge, type Tone } from "@/components/ui/badge";
import { Pager } from "@/components/ui/pager";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import { useCursorTrail } from "@/components/ui/use-cursor-trail";

const STATE_TONES: Record<string, Tone> = { PENDING: "info", RETRYING: "warning", DELIVERED: "success", GIVEN_UP: "danger", SUPPRESSED: "muted" };

export function NotificationLog() {
  const t = useTranslations();
  const format = useFormatter();
  const trail = useCursorTrail();
  const log = useNotificationLog(trail.cursor);
  const entries = log.data?.entries;
  const when = (iso: string) => format.dateTime(new Date(iso), "short");

  return (
    <Panel title={t("notifySettings.log.title")} id="log-heading" description={t("notifySettings.log.intro")}>
      {log.isPending ? <SkeletonRows rows={3} label={t("common.loading")} /> : null}
      {log.error ? <ErrorState title={t("common.errorTitle")} message={log.error.message} /> : null}
      {entries?.length === 0 ? <EmptyState title={t("notifySettings.log.empty")} body={t("notifySettings.log.emptyBody")} /> : null}
      {entries && entries.length > 0 ? (
        <Table caption={t("notifySettings.log.title")}>
          <thead>
            <tr>
              <Th>{t("notifySettings.log.when")}</Th><Th>{t("notifySettings.log.channel")}</Th><Th>{t("notifySettings.log.trigger")}</Th><Th>{t("notifySettings.log.about")}</Th>
              <Th>{t("notifySettings.log.state")}</Th><Th>{t("notifySettings.log.attempts")}</Th><Th>{t("notifySettings.log.detail")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {entries.map((e) => (
              <tr key={e.id}>
                <Td className="whitespace-nowrap">{when(e.createdAt)}</Td>
                <Td>{e.channel}</Td>
                <Td>{t.has(`notifySettings.triggers.${triggerKey(e.trigger)}`) ? t(`notifySettings.triggers.${triggerKey(e.trigger)}`) : e.trigger}</Td>
                <Td>{e.connector ?? `#${e.connectorId}`} · <code>{e.errorCode}</code></Td>
                <Td><Badge tone={STATE_TONES[e.state] ?? "neutral"}>{t(`notifySettings.log.states.${e.state}`)}</Badge></Td>
                <Td>{e.attempts}</Td>
                <Td className="max-w-md break-words text-xs">
                  {e.lastError}
                  {e.nextAttemptAt ? <span className="block text-slate-600">{t("notifySettings.log.nextTry", { when: when(e.nextAttemptAt) })}</span> : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Pager
        label={t("notifySettings.log.pager")}
        previousLabel={t("notifySettings.log.previous")}
        nextLabel={t("notifySettings.log.next")}
        onPrevious={trail.back}
        onNext={trail.forward(log.data?.nextBefore ? String(log.data.nextBefore) : null)}
      />
    </Panel>
  );
}
