import type { AuditChange } from "@/lib/audit/write";

// A snooze holds only while the alert does not get worse: once more messages are queued than
// when it was snoozed, or the snooze time has passed, the alert is ACTIVE again. Every place that
// reads, shows or writes a snoozed alert's status goes through these functions: readers through
// effectiveStatus, ingest and the sweep through snoozeWake and wakeAudit when they persist a wake.
export type SnoozeFields = Readonly<{
  status: string;
  snoozedUntil: Date | string | null;
  snoozedQueued: number | null;
  queuedCount: number;
}>;

export type SnoozeWake = "expired" | "worse";

/** What a wake writes on the alert: active again, the snooze forgotten. */
export const WOKEN = { status: "ACTIVE", snoozedUntil: null, snoozedQueued: null } as const;

/** Why a snoozed alert is active again, or null while the snooze still holds (or it is not snoozed). */
export function snoozeWake(alert: SnoozeFields, now: Date): SnoozeWake | null {
  if (alert.status !== "SNOOZED") return null;
  if (alert.snoozedQueued !== null && alert.queuedCount > alert.snoozedQueued) return "worse";
  if (alert.snoozedUntil === null || new Date(alert.snoozedUntil).getTime() <= now.getTime()) return "expired";
  return null;
}

/** The status to show and filter by: a snooze that no longer holds reads as ACTIVE. */
export function effectiveStatus<S extends string>(alert: SnoozeFields & { status: S }, now: Date): S | "ACTIVE" {
  return snoozeWake(alert, now) ? "ACTIVE" : alert.status;
}

/** The audit entry of a wake (written as the system): the snooze as it was, and why it ended. */
export function wakeAudit(alertId: number, alert: SnoozeFields, why: SnoozeWake): AuditChange {
  const snoozedUntil = alert.snoozedUntil === null ? null : new Date(alert.snoozedUntil).toISOString();
  return {
    action: "alert.wake",
    targetType: "alert",
    targetId: alertId,
    before: { status: "SNOOZED", snoozedUntil, snoozedQueued: alert.snoozedQueued },
    after: { ...WOKEN, why },
    note: why === "worse" ? `More messages queued (${alert.queuedCount}) than when snoozed (${alert.snoozedQueued})` : "Snooze ended",
  };
}
