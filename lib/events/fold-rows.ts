import type { Prisma } from "@/lib/generated/prisma/client";
import { snoozeWake, wakeAudit, WOKEN } from "@/lib/alerts/snooze";
import type { AuditChange } from "@/lib/audit/write";
import type { FoldEvent } from "@/lib/grouping/event";
import { alertKeyOf, alertSeverity, type FoldAlert, type FoldMessage, type FoldState } from "@/lib/grouping/fold";
import type { SeverityThresholds } from "@/lib/grouping/severity";

// Pure: the rows of the ingest path's tables as the fold reads them, and what a fold's result
// writes back. lib/events/store.ts runs the SQL around these; no database access here.

export type StoredEvent = FoldEvent & { connectorId: number };
export type AlertRow = Prisma.AlertGetPayload<object>;
/** What admins and remediations set on an alert, which the fold itself never decides. */
export type AlertMeta = Pick<AlertRow, "status" | "snoozedUntil" | "snoozedQueued" | "remediatedAt" | "resolvedAt" | "resolvedReason">;
export type FoldResult = { connectorId: number; state: FoldState; meta: Map<number, AlertMeta>; oldestUnseen: Map<number, Date> };

export type MessageRow = {
  connectorId: number; id: bigint; messageId: string; recipient: string; sender: string | null; state: FoldMessage["state"];
  errorCode: string | null; alertId: number | null; firstAttemptAt: Date; lastAttemptAt: Date; expiresAt: Date;
  settledAt: Date | null; ndrAt: Date | null; attempts: number;
};
export type MessageWrite = { connectorId: number; m: FoldMessage; alertId: number | null };
export type AlertWrite = ReturnType<typeof alertColumns> & Pick<AlertRow, "id" | "oldestQueuedAt" | "severity" | "status"> & { woken: boolean };
export type FoldWrites = {
  alerts: AlertWrite[];
  messages: MessageWrite[];
  clocks: { connectorId: number; clock: Date | null }[];
  /** Snoozes the fold ended (the queue grew, or the time ran out), for the audit log. */
  wakes: AuditChange[];
};

const HOUR_MS = 3_600_000;

/** Events per connector, UTC hour and code ("delivered" for deliveries), probes left out: EventHourlyCount's rows. */
export function hourlyCounts(events: StoredEvent[]): { connectorId: number; hour: number; code: string; count: number }[] {
  const counts = new Map<string, { connectorId: number; hour: number; code: string; count: number }>();
  for (const e of events) {
    // Probes are not mail: the hourly counts are the connector's traffic.
    if (e.probe) continue;
    const hour = Math.floor(e.occurredAt.getTime() / HOUR_MS) * HOUR_MS;
    const code = e.errorCode ?? "delivered";
    const key = `${e.connectorId}|${hour}|${code}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { connectorId: e.connectorId, hour, code, count: 1 });
  }
  return [...counts.values()];
}

/**
 * What a fold's results write, computed without the database: every changed message, every
 * changed or open alert (open ones even when no event touched them, since their severity grows
 * with the clock, which needs the oldest message still queued) and the connectors' clocks.
 * New alerts must have their ids by now. `now` decides whether a snooze ran out.
 */
export function planFoldWrites(results: FoldResult[], t: SeverityThresholds, now: Date): FoldWrites {
  const writes: FoldWrites = { alerts: [], messages: [], clocks: [], wakes: [] };
  for (const { connectorId, state, meta, oldestUnseen } of results) {
    const ids = new Map<string, number>();
    for (const a of state.alerts.values()) ids.set(a.key, a.id!);
    const oldestSeen = new Map<string, Date>();
    for (const m of state.messages.values()) {
      if (m.dirty) writes.messages.push({ connectorId, m, alertId: m.alertKey ? (ids.get(m.alertKey) ?? dbId(m.alertKey)) : null });
      if (m.state === "QUEUED" && m.alertKey) oldestSeen.set(m.alertKey, earliest(oldestSeen.get(m.alertKey), m.firstAttemptAt)!);
    }
    for (const a of state.alerts.values()) {
      if (!a.dirty && a.resolvedAt !== null) continue;
      const oldestQueuedAt = a.resolvedAt === null ? earliest(oldestSeen.get(a.key), oldestUnseen.get(a.id!)) : null;
      const derived = { oldestQueuedAt, severity: alertSeverity(a, oldestQueuedAt, state.clock, t) };
      writes.alerts.push(alertWrite(a, ids, meta.get(a.id!), derived, now, writes.wakes));
    }
    writes.clocks.push({ connectorId, clock: state.clock });
  }
  return writes;
}

/** Status after a fold from the events alone: resolution, and reopening of a resolved alert. */
export function nextStatus(current: AlertRow["status"], a: { resolvedAt: Date | null }): AlertRow["status"] {
  if (a.resolvedAt) return current === "DISMISSED" ? "DISMISSED" : "RESOLVED";
  if (current === "RESOLVED") return "ACTIVE";
  return current;
}

function alertWrite(
  a: FoldAlert,
  ids: Map<string, number>,
  meta: AlertMeta | undefined,
  derived: Pick<AlertRow, "oldestQueuedAt" | "severity">,
  now: Date,
  wakes: AuditChange[],
): AlertWrite {
  const columns = { ...alertColumns(a, ids), ...derived };
  // A remediation resolved the alert outside the event stream: the fold does not undo that.
  if (meta?.remediatedAt && meta.resolvedAt) {
    columns.resolvedAt = meta.resolvedAt;
    columns.resolvedReason = meta.resolvedReason;
  }
  const id = a.id!;
  const status = nextStatus(meta?.status ?? "ACTIVE", columns);
  const snooze = { status, snoozedUntil: meta?.snoozedUntil ?? null, snoozedQueued: meta?.snoozedQueued ?? null, queuedCount: columns.queuedCount };
  const why = snoozeWake(snooze, now);
  if (why) wakes.push(wakeAudit(id, snooze, why));
  return { id, ...columns, status: why ? WOKEN.status : status, woken: why !== null };
}

function alertColumns(a: FoldAlert, ids: Map<string, number>) {
  return {
    errorCode: a.errorCode,
    firstSeenAt: a.firstSeenAt,
    lastSeenAt: a.lastSeenAt,
    eventCount: a.eventCount,
    messageCount: a.messageCount,
    queuedCount: a.queuedCount,
    expiredCount: a.expiredCount,
    failedCount: a.failedCount,
    peakQueuedCount: a.peakQueuedCount,
    longestWaitSeconds: a.longestWaitSeconds,
    affectedDomains: a.affectedDomains,
    latestDetails: a.latestDetails,
    latestDestination: a.latestDestination,
    latestEventAt: a.latestEventAt,
    recoveredAt: a.recoveredAt,
    resolvedAt: a.resolvedAt,
    resolvedReason: a.resolvedReason,
    regressionOfId: a.regressionOfKey ? (ids.get(a.regressionOfKey) ?? dbId(a.regressionOfKey)) : null,
  };
}

export function metaOf(rows: AlertRow[]): Map<number, AlertMeta> {
  return new Map(rows.map((r) => [r.id, {
    status: r.status, snoozedUntil: r.snoozedUntil, snoozedQueued: r.snoozedQueued,
    remediatedAt: r.remediatedAt, resolvedAt: r.resolvedAt, resolvedReason: r.resolvedReason,
  }]));
}

export function toFoldAlert(r: AlertRow): FoldAlert {
  return {
    key: alertKeyOf(r.id),
    id: r.id,
    errorCode: r.errorCode,
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    eventCount: r.eventCount,
    messageCount: r.messageCount,
    queuedCount: r.queuedCount,
    expiredCount: r.expiredCount,
    failedCount: r.failedCount,
    peakQueuedCount: r.peakQueuedCount,
    longestWaitSeconds: r.longestWaitSeconds,
    affectedDomains: r.affectedDomains,
    latestDetails: r.latestDetails,
    latestDestination: r.latestDestination,
    latestEventAt: r.latestEventAt,
    recoveredAt: r.recoveredAt,
    resolvedAt: r.resolvedAt,
    resolvedReason: r.resolvedReason,
    regressionOfKey: r.regressionOfId === null ? null : alertKeyOf(r.regressionOfId),
    dirty: false,
  };
}

export function toFoldMessage({ connectorId: _connectorId, ...r }: MessageRow): FoldMessage {
  return { ...r, alertKey: r.alertId === null ? null : alertKeyOf(r.alertId), dirty: false };
}

type JsonRow = Record<string, unknown>;
export const ALERT_DATES = ["firstSeenAt", "lastSeenAt", "oldestQueuedAt", "latestEventAt", "recoveredAt", "resolvedAt", "acknowledgedAt",
  "snoozedUntil", "remediatedAt", "createdAt", "updatedAt", "oldestUnseen"];
export const MESSAGE_DATES = ["firstAttemptAt", "lastAttemptAt", "expiresAt", "settledAt", "ndrAt"];

/** A row that came through json_agg, with its ISO date strings in `fields` turned back into Dates. */
export function withDates<T>(row: JsonRow, fields: readonly string[]): T {
  const out = { ...row };
  for (const f of fields) if (typeof out[f] === "string") out[f] = new Date(out[f] as string);
  return out as T;
}

function earliest(a: Date | undefined, b: Date | undefined): Date | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a < b ? a : b;
}

/** The database id inside an alert key of a stored alert (`db:42`), or null for a new one. */
function dbId(key: string): number | null {
  return key.startsWith("db:") ? Number(key.slice(3)) : null;
}
