import { CERT_EXPIRY_CODE } from "@/lib/grouping/event";
import type { NotificationTrigger } from "@/lib/notify/types";

// Pure: the outbox rows the database's triggers wrote (migration 20261201200000_notifications)
// merged into what happened. The rows of one alert in one transaction are one change, read from
// the first row's old values to the last row's new ones: the fold inserts an alert with defaults
// and then writes its columns in the same transaction, which is one "opened" at its final
// severity, and a value that changed and changed back within a transaction is no change.

export type TransitionRow = Readonly<{
  id: bigint;
  alertId: number;
  kind: string;
  txid: bigint;
  at: Date;
  oldSeverity: string | null;
  severity: string;
  oldResolved: boolean;
  resolved: boolean;
  oldExpiredCount: number;
  expiredCount: number;
  regressionOfId: number | null;
}>;

export type TriggerEvent = Readonly<{
  trigger: NotificationTrigger;
  alertId: number;
  /** The first row this event was read from: with the channel and trigger it keys the notification. */
  firstId: bigint;
  at: Date;
  severity: string;
  /** For "expired": messages expired by this change. */
  expired?: number;
}>;

export function mergeTransitions(rows: readonly TransitionRow[], codeOf: (alertId: number) => string): TriggerEvent[] {
  const groups = new Map<string, TransitionRow[]>();
  const events: TriggerEvent[] = [];
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (row.kind === "fixnow.applied" || row.kind === "fixnow.undone") {
      events.push({ trigger: row.kind, alertId: row.alertId, firstId: row.id, at: row.at, severity: row.severity });
      continue;
    }
    const key = `${row.alertId}|${row.txid}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const [first] = group;
    const last = group.at(-1);
    if (first && last) events.push(...alertChange(first, last, group.some((r) => r.kind === "inserted"), codeOf(first.alertId)));
  }
  return events.sort((a, b) => (a.firstId < b.firstId ? -1 : a.firstId > b.firstId ? 1 : 0));
}

function alertChange(first: TransitionRow, last: TransitionRow, inserted: boolean, code: string): TriggerEvent[] {
  const base = { alertId: first.alertId, firstId: first.id, at: last.at, severity: last.severity };
  const events: TriggerEvent[] = [];
  if (inserted) {
    events.push({ ...base, trigger: code === CERT_EXPIRY_CODE ? "cert.expiring" : last.regressionOfId !== null ? "regressed" : "opened" });
  } else if (first.oldSeverity !== "HIGH" && last.severity === "HIGH") {
    events.push({ ...base, trigger: "high" });
  }
  const before = inserted ? 0 : first.oldExpiredCount;
  if (last.expiredCount > before) events.push({ ...base, trigger: "expired", expired: last.expiredCount - before });
  if ((inserted || !first.oldResolved) && last.resolved) events.push({ ...base, trigger: "resolved" });
  return events;
}
