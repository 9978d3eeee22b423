// A snooze holds only while the alert does not get worse: once more messages are queued than
// when it was snoozed, or the snooze time has passed, the alert counts as ACTIVE again. Every
// place that reads or writes alert status goes through these functions.
export type SnoozeFields = Readonly<{
  status: string;
  snoozedUntil: Date | string | null;
  snoozedQueued: number | null;
  queuedCount: number;
}>;

export type SnoozeWake = "expired" | "worse";

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
