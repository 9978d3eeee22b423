import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import type { AlertDetail } from "@/lib/alerts/schemas";

/** The latest error the destination answered, as text (never HTML), and where it came from. */
export function LatestError({ alert }: Readonly<{ alert: AlertDetail["alert"] }>) {
  const t = useTranslations("alert");
  const format = useFormatter();
  return (
    <Panel id="alert-latest" title={t("latestTitle")}>
      <dl className="grid gap-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-xs font-medium text-slate-600">{t("destination")}</dt>
          <dd className="mt-1 font-mono text-slate-900">{alert.latestDestination ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">{t("latestAt")}</dt>
          <dd className="mt-1 text-slate-900">{format.dateTime(new Date(alert.latestEventAt ?? alert.lastSeenAt), "long")}</dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="text-xs font-medium text-slate-600">{t("details")}</dt>
          <dd className="mt-1">
            {alert.latestDetails ? (
              <pre className="whitespace-pre-wrap break-words rounded-md bg-slate-900 px-4 py-3 font-mono text-xs leading-relaxed text-slate-100">
                {alert.latestDetails}
              </pre>
            ) : (
              <span className="text-slate-600">{t("noDetails")}</span>
            )}
          </dd>
        </div>
      </dl>
    </Panel>
  );
}

/** Recipient domains hit by the alert, and the accepted domains its connector relays. */
export function AffectedDomains({ alert, domains }: Readonly<{ alert: AlertDetail["alert"]; domains: AlertDetail["domains"] }>) {
  const t = useTranslations();
  return (
    <Panel id="alert-affected" title={t("alert.affectedTitle")}>
      <h3 className="text-xs font-medium text-slate-600">{t("alert.recipientDomains")}</h3>
      {alert.affectedDomains.length > 0 ? (
        <ul className="mt-1 mb-4 space-y-1 font-mono text-sm">
          {alert.affectedDomains.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 mb-4 text-sm text-slate-600">{t("alert.noDomains")}</p>
      )}
      <h3 className="text-xs font-medium text-slate-600">{t("alert.acceptedDomains")}</h3>
      {domains.length > 0 ? (
        <ul className="mt-1 space-y-1.5 text-sm">
          {domains.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-mono">{d.name}</span>
              <Badge tone={d.type === "INTERNAL_RELAY" ? "warning" : "neutral"}>{t(`domainType.${d.type}`)}</Badge>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-slate-600">{t("alert.noDomains")}</p>
      )}
    </Panel>
  );
}
