import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { ExpectedBadge, SeverityBadge, StatusBadge } from "@/components/alerts/alert-badges";
import { Breadcrumb } from "@/components/layout/breadcrumb";
import { Notice } from "@/components/ui/states";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import type { AlertDetail } from "@/lib/alerts/schemas";

type Props = Pick<AlertDetail, "alert" | "regressionOf" | "regressions">;

/** Code, name, connector, status, severity and the figures of one alert. */
export function AlertHeader({ alert, regressionOf, regressions }: Readonly<Props>) {
  const t = useTranslations();
  const format = useFormatter();
  const date = (iso: string) => format.dateTime(new Date(iso), "short");
  const laterRegression = regressions.at(-1);
  const facts: [string, string, boolean?][] = [
    [t("alert.firstSeen"), date(alert.firstSeenAt)],
    [t("alert.lastSeen"), date(alert.lastSeenAt)],
    [t("alert.events"), format.number(alert.eventCount, "integer")],
    [t("alert.messages"), format.number(alert.messageCount, "integer")],
    [t("alert.queued"), format.number(alert.queuedCount, "integer"), alert.queuedCount > 0],
    [t("alert.expired"), format.number(alert.expiredCount, "integer"), alert.expiredCount > 0],
  ];

  return (
    <header className="mb-6 space-y-4">
      <Breadcrumb label={t("alert.breadcrumb")} parent={{ href: "/", label: t("nav.alerts") }} current={t("alert.alertNumber", { id: alert.id })} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
            {t("alert.title", { code: displayCode(alert.errorCode), name: t(`codes.${codeKey(alert.errorCode)}`) })}
          </h1>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <span>{t("alert.connector")}:</span>
            <Link href={`/connectors/${alert.connector.id}`} className="font-medium text-blue-800 hover:underline">
              {alert.connector.name}
            </Link>
            <span className="text-slate-500">({t(`connectorKind.${alert.connector.kind}`)})</span>
            <StatusBadge status={alert.status} />
            <SeverityBadge severity={alert.severity} />
            <ExpectedBadge expected={alert.expected} />
          </p>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {facts.map(([label, value, emphasis]) => (
          <div key={label} className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd className={`mt-1 text-lg font-semibold tabular-nums ${emphasis ? "text-amber-800" : "text-slate-900"}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {alert.resolvedAt ? (
        <Notice tone="info">
          {t("alert.resolvedAt", { time: date(alert.resolvedAt) })}
          {alert.resolvedReason ? ` ${t("alert.resolvedReason", { reason: alert.resolvedReason })}` : null}
        </Notice>
      ) : null}
      {!alert.connector.enabled ? <Notice tone="info">{t("alert.connectorDisabled")}</Notice> : null}
      {regressionOf ? (
        <Notice>
          {t("alert.regressionOf", { id: regressionOf.id })}{" "}
          <Link href={`/alerts/${regressionOf.id}`} className="font-medium underline">
            {t("alert.viewAlert", { id: regressionOf.id })}
          </Link>
        </Notice>
      ) : null}
      {laterRegression ? (
        <Notice tone="info">
          {t("alert.regressedAs", { id: laterRegression.id })}{" "}
          <Link href={`/alerts/${laterRegression.id}`} className="font-medium underline">
            {t("alert.viewAlert", { id: laterRegression.id })}
          </Link>
        </Notice>
      ) : null}
    </header>
  );
}
