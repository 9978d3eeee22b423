import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
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
