import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { ExpectedBadge, StatusBadge } from "@/components/alerts/alert-badges";
import { CodeLabel } from "@/components/alerts/code-label";
import { Table, Td, Th } from "@/components/ui/table";
import type { AlertSummary } from "@/lib/alerts/schemas";

/** The connector's alerts that were open during the range, past and present. */
export function ConnectorAlerts({ alerts }: Readonly<{ alerts: readonly AlertSummary[] }>) {
  const t = useTranslations();
  const format = useFormatter();
  if (alerts.length === 0) return <p className="text-sm text-slate-600">{t("history.alertsEmpty")}</p>;
  const date = (iso: string) => format.dateTime(new Date(iso), "short");
  return (
    <Table caption={t("history.alertsTitle")}>
      <thead className="bg-slate-50">
        <tr>
          <Th>{t("alerts.columns.code")}</Th>
          <Th>{t("alerts.columns.status")}</Th>
          <Th>{t("alerts.columns.firstSeen")}</Th>
          <Th>{t("alerts.columns.lastSeen")}</Th>
          <Th className="text-right">{t("alerts.columns.events")}</Th>
          <Th className="text-right">{t("alerts.columns.queued")}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {[...alerts].reverse().map((a) => (
          <tr key={a.id}>
            <Td>
              <Link href={`/alerts/${a.id}`} className="hover:underline">
                <CodeLabel code={a.errorCode} />
              </Link>
            </Td>
            <Td>
              <div className="flex flex-col items-start gap-1">
                <StatusBadge status={a.status} />
                <ExpectedBadge expected={a.expected} />
              </div>
            </Td>
            <Td className="whitespace-nowrap">{date(a.firstSeenAt)}</Td>
            <Td className="whitespace-nowrap">{date(a.resolvedAt ?? a.lastSeenAt)}</Td>
            <Td className="text-right tabular-nums">{format.number(a.eventCount, "integer")}</Td>
            <Td className="text-right tabular-nums">{format.number(a.queuedCount, "integer")}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
