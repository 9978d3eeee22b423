import { useFormatter, useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
import type { AlertSummary } from "@/lib/alerts/schemas";
import type { AlertStatus, Severity } from "@/lib/db/enums";

const SEVERITY_TONE: Record<Severity, Tone> = { LOW: "muted", MEDIUM: "warning", HIGH: "danger" };
const STATUS_TONE: Record<AlertStatus, Tone> = {
  ACTIVE: "danger",
  INVESTIGATING: "info",
  SNOOZED: "neutral",
  DISMISSED: "muted",
  RESOLVED: "success",
};

export function SeverityBadge({ severity }: Readonly<{ severity: Severity }>) {
  const t = useTranslations("severity");
  return (
    <Badge tone={SEVERITY_TONE[severity]}>
      <span aria-hidden="true" className="inline-block h-1.5 w-1.5 rounded-full bg-current" />
      {t(severity)}
    </Badge>
  );
}

export function StatusBadge({ status }: Readonly<{ status: AlertStatus }>) {
  const t = useTranslations("status");
  return <Badge tone={STATUS_TONE[status]}>{t(status)}</Badge>;
}

/** A maintenance window of the alert's connector marks it as expected: the badge, the window's end and its note. */
export function ExpectedBadge({ expected }: Readonly<{ expected: AlertSummary["expected"] }>) {
  const t = useTranslations("expectedMaintenance");
  const format = useFormatter();
  if (!expected) return null;
  const values = { end: format.dateTime(new Date(expected.endsAt), "short"), reason: expected.reason };
  return (
    <span className="inline-flex max-w-full flex-wrap items-center gap-1.5" data-testid="expected-maintenance" title={t("label", values)}>
      <Badge tone="info">{t("badge")}</Badge>
      <span className="line-clamp-2 max-w-72 text-xs text-slate-700">{t("detail", values)}</span>
    </span>
  );
}
