import type { ConnectorKind } from "@/lib/db/enums";
import { FIX_NOW_CODE } from "@/lib/remediation/catalogue";

// Whether Fix now may run on an alert. The UI hides the button with it and the service refuses
// with it, so both always agree.
export type FixNowBlock = "already_remediated" | "wrong_code" | "partner_connector" | "alert_closed";

export type FixNowEligibility = { eligible: true } | { eligible: false; reason: FixNowBlock };

export type EligibilityInput = Readonly<{
  errorCode: string;
  connectorKind: ConnectorKind;
  status: string;
  remediatedAt: Date | string | null;
}>;

export function fixNowEligibility(alert: EligibilityInput): FixNowEligibility {
  // Checked first: a remediated alert is also resolved, and "already done" is the useful answer.
  if (alert.remediatedAt !== null) return { eligible: false, reason: "already_remediated" };
  if (alert.errorCode !== FIX_NOW_CODE) return { eligible: false, reason: "wrong_code" };
  if (alert.connectorKind !== "ON_PREMISES") return { eligible: false, reason: "partner_connector" };
  if (alert.status === "RESOLVED" || alert.status === "DISMISSED") return { eligible: false, reason: "alert_closed" };
  return { eligible: true };
}

/** Fix now is offered at all for this alert (its code and connector), whatever its state. */
export function offersFixNow(errorCode: string, connectorKind: ConnectorKind): boolean {
  return errorCode === FIX_NOW_CODE && connectorKind === "ON_PREMISES";
}
