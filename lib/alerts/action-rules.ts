import { badRequest, conflict } from "@/lib/http/errors";
import type { AlertActionBody } from "@/lib/alerts/action-schemas";
import { SNOOZE_MAX_DAYS } from "@/lib/alerts/action-schemas";
import { effectiveStatus } from "@/lib/alerts/snooze";
import type { AlertStatus } from "@/lib/db/enums";

// Pure: what acknowledge, dismiss, snooze and unsnooze change on an alert, or why they may not.
// The service applies the result under a row lock and audits exactly these fields.
export type ActionAlert = Readonly<{
  status: string;
  queuedCount: number;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  dismissedBy: string | null;
  dismissedReason: string | null;
  snoozedUntil: Date | null;
  snoozedQueued: number | null;
}>;

export type ActionChanges = {
  status: Exclude<AlertStatus, "RESOLVED">;
  acknowledgedBy?: string;
  acknowledgedAt?: Date;
  dismissedBy?: string;
  dismissedReason?: string;
  snoozedUntil?: Date | null;
  snoozedQueued?: number | null;
};

const CLEAR_SNOOZE = { snoozedUntil: null, snoozedQueued: null } as const;

export function planAlertAction(alert: ActionAlert, action: AlertActionBody, actor: string, now: Date): ActionChanges {
  const status = effectiveStatus(alert, now);
  if (status === "RESOLVED" || status === "DISMISSED") {
    throw conflict(`This alert is already ${status.toLowerCase()}; it cannot be changed any more.`);
  }
  switch (action.action) {
    case "acknowledge":
      if (status === "INVESTIGATING") {
        throw conflict(`This alert was already acknowledged by ${alert.acknowledgedBy ?? "someone"} at ${alert.acknowledgedAt?.toISOString() ?? "an earlier time"}.`);
      }
      return { status: "INVESTIGATING", acknowledgedBy: actor, acknowledgedAt: now, ...clearedSnooze(alert) };
    case "dismiss":
      return { status: "DISMISSED", dismissedBy: actor, dismissedReason: action.reason, ...clearedSnooze(alert) };
    case "snooze": {
      const until = new Date(action.until);
      if (until.getTime() <= now.getTime()) throw badRequest("A snooze must end in the future.", [{ field: "until", message: "must be in the future" }]);
      if (until.getTime() > now.getTime() + SNOOZE_MAX_DAYS * 86_400_000) {
        throw badRequest(`A snooze can last at most ${SNOOZE_MAX_DAYS} days.`, [{ field: "until", message: `must be within ${SNOOZE_MAX_DAYS} days` }]);
      }
      return { status: "SNOOZED", snoozedUntil: until, snoozedQueued: alert.queuedCount };
    }
    case "unsnooze":
      if (alert.status !== "SNOOZED") throw conflict("This alert is not snoozed.");
      return { status: "ACTIVE", ...CLEAR_SNOOZE };
  }
}

/** The same fields as they were, for the audit entry's `before`. */
export function fieldsBefore(alert: ActionAlert, changes: ActionChanges): Record<string, unknown> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, alert[key as keyof ActionAlert]]));
}

function clearedSnooze(alert: ActionAlert) {
  return alert.status === "SNOOZED" ? CLEAR_SNOOZE : {};
}
