// Pure: the day partitions of "DeliveryEvent" and the retention's horizon (docs/partitioning.md).
// The SQL that creates and drops them is in retention.ts; nothing here reads the database.

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Partitions are kept this many days ahead of today: ingest refuses events more than minutes ahead. */
export const PARTITION_DAYS_AHEAD = 7;

const PREFIX = "DeliveryEvent_p";

/** The instant before which events are no longer kept: `now` minus the retention. */
export function retentionHorizon(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** Midnight UTC of the day holding `at`. */
export function dayOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** "2026-12-01": the form ensure_event_partitions takes its days in. */
export function isoDay(day: Date): string {
  return dayOf(day).toISOString().slice(0, 10);
}

/** The days that must have a partition: from the horizon's day (an import may bring any kept date) to a week ahead. */
export function partitionWindow(now: Date, retentionDays: number): { first: string; last: string } {
  const first = dayOf(retentionHorizon(now, retentionDays));
  const last = new Date(dayOf(now).getTime() + PARTITION_DAYS_AHEAD * DAY_MS);
  return { first: isoDay(first), last: isoDay(last) };
}

/** "DeliveryEvent_p20261201" → 2026-12-01T00:00Z; null for a name that is not one of ours. */
export function partitionDay(name: string): Date | null {
  const match = /^DeliveryEvent_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  const day = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`);
  // A date that does not exist (20261331) rolls over, and then spells another name.
  return Number.isNaN(day.getTime()) || partitionName(day) !== name ? null : day;
}

export function partitionName(day: Date): string {
  return PREFIX + isoDay(day).replaceAll("-", "");
}

/** Partitions whose every event is older than the horizon (their day ends at or before it), oldest first. */
export function partitionsToDrop(names: readonly string[], horizon: Date): string[] {
  return names
    .map((name) => ({ name, day: partitionDay(name) }))
    .filter((p): p is { name: string; day: Date } => p.day !== null && p.day.getTime() + DAY_MS <= horizon.getTime())
    .sort((a, b) => a.day.getTime() - b.day.getTime())
    .map((p) => p.name);
}

/** How ingest's refusal of an event from before the horizon starts, for sources that count it apart. */
export const TOO_OLD_PREFIX = "is older than the event retention";

/** Ingest's reason for refusing an event from before the horizon. */
export function tooOldReason(horizon: Date, retentionDays: number): string {
  return `${TOO_OLD_PREFIX} of ${retentionDays} days (events before ${horizon.toISOString()} are no longer kept)`;
}
