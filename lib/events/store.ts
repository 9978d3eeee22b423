import type { Prisma } from "@/lib/generated/prisma/client";
import type { NormalizedEvent } from "@/lib/events/normalize";
import { alertKeyOf, type FoldAlert, type FoldMessage, type FoldState } from "@/lib/grouping/fold";

// SQL for the ingest path. Bulk statements use unnest() over typed arrays: one round trip per
// table per batch, whatever the batch size.
export type Tx = Prisma.TransactionClient;

export type StoredEvent = NormalizedEvent & { connectorId: number };

/** Inserts events; returns those actually stored (a client id seen before is skipped). */
export async function insertEvents(tx: Tx, events: StoredEvent[], source: string): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const col = <T>(f: (e: StoredEvent) => T) => events.map(f);
  const rows = await tx.$queryRawUnsafe<{ clientId: string | null }[]>(
    `INSERT INTO "DeliveryEvent" ("clientId","source","occurredAt","connectorId","messageId","sender","recipient",
       "recipientDomain","status","smtpStatus","errorCode","errorDetails","destination")
     SELECT u.c, $1, u.t, u.k, u.m, u.s, u.r, u.d, u.st, u.smtp, u.code, u.det, u.dest
     FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::"EventStatus"[], $10::int[], $11::text[], $12::text[], $13::text[])
          AS u(c, t, k, m, s, r, d, st, smtp, code, det, dest)
     ON CONFLICT ("clientId") DO NOTHING
     RETURNING "clientId"`,
    source,
    col((e) => e.clientId),
    col((e) => e.occurredAt.toISOString()),
    col((e) => e.connectorId),
    col((e) => e.messageId),
    col((e) => e.sender),
    col((e) => e.recipient),
    col((e) => e.recipientDomain),
    col((e) => e.status),
    col((e) => e.smtpStatus),
    col((e) => e.errorCode),
    col((e) => e.errorDetails),
    col((e) => e.destination),
  );
  const stored = new Set(rows.map((r) => r.clientId));
  return events.filter((e) => e.clientId === null || stored.has(e.clientId));
}

/** Locks the connectors (in id order, so concurrent batches never deadlock) and reads their clocks. */
export async function lockConnectors(tx: Tx, ids: number[]): Promise<Map<number, Date | null>> {
  const rows = await tx.$queryRawUnsafe<{ id: number; foldedThrough: Date | null }[]>(
    `SELECT id, "foldedThrough" FROM "Connector" WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
    ids,
  );
  return new Map(rows.map((r) => [r.id, r.foldedThrough]));
}

export async function setConnectorClock(tx: Tx, connectorId: number, clock: Date | null): Promise<void> {
  await tx.$executeRawUnsafe(`UPDATE "Connector" SET "foldedThrough" = $2::timestamptz WHERE id = $1`, connectorId, clock?.toISOString() ?? null);
}

/** The latest alert of each code (for regression links), optionally only those begun before `before`. */
export async function loadLastAlertByCode(tx: Tx, connectorId: number, before: Date | null): Promise<Map<string, string>> {
  const rows = await tx.$queryRawUnsafe<{ id: number; errorCode: string }[]>(
    `SELECT DISTINCT ON ("errorCode") id, "errorCode" FROM "Alert"
     WHERE "connectorId" = $1 AND ($2::timestamptz IS NULL OR "firstSeenAt" < $2::timestamptz)
     ORDER BY "errorCode", "firstSeenAt" DESC, id DESC`,
    connectorId,
    before?.toISOString() ?? null,
  );
  return new Map(rows.map((r) => [r.errorCode, alertKeyOf(r.id)]));
}

export async function loadOpenAlerts(tx: Tx, connectorId: number): Promise<FoldAlert[]> {
  const rows = await tx.alert.findMany({ where: { connectorId, resolvedAt: null } });
  return rows.map(toFoldAlert);
}

/** Every queued message of the connector, plus the given ones in any state. */
export async function loadMessages(tx: Tx, connectorId: number, keys: { messageId: string; recipient: string }[]): Promise<FoldMessage[]> {
  const queued = await tx.$queryRawUnsafe<MessageRow[]>(
    `SELECT ${MESSAGE_COLUMNS} FROM "QueuedMessage" q WHERE q."connectorId" = $1 AND q.state = 'QUEUED'`,
    connectorId,
  );
  const named = keys.length === 0 ? [] : await tx.$queryRawUnsafe<MessageRow[]>(
    `SELECT ${MESSAGE_COLUMNS} FROM "QueuedMessage" q
     JOIN unnest($2::text[], $3::text[]) AS k(m, r) ON q."messageId" = k.m AND q.recipient = k.r
     WHERE q."connectorId" = $1 AND q.state <> 'QUEUED'`,
    connectorId,
    keys.map((k) => k.messageId),
    keys.map((k) => k.recipient),
  );
  return [...queued, ...named].map(toFoldMessage);
}

export async function loadEventsSince(tx: Tx, connectorId: number, since: Date): Promise<StoredEvent[]> {
  const rows = await tx.deliveryEvent.findMany({
    where: { connectorId, occurredAt: { gte: since } },
    select: {
      clientId: true, occurredAt: true, connectorId: true, messageId: true, sender: true, recipient: true,
      recipientDomain: true, status: true, smtpStatus: true, errorCode: true, errorDetails: true, destination: true,
    },
  });
  return rows;
}

/**
 * The latest time at or before `t` when the connector had no open alert and no queued message:
 * the fold's state there is empty, so replaying from it reproduces everything after.
 */
export async function findQuietPoint(tx: Tx, connectorId: number, t: Date): Promise<Date> {
  let w = t;
  for (;;) {
    const rows = await tx.$queryRawUnsafe<{ earliest: Date | null }[]>(
      `SELECT LEAST(
         (SELECT min("firstSeenAt") FROM "Alert" WHERE "connectorId" = $1 AND "firstSeenAt" < $2::timestamptz
            AND ("resolvedAt" IS NULL OR "resolvedAt" >= $2::timestamptz)),
         (SELECT min("firstAttemptAt") FROM "QueuedMessage" WHERE "connectorId" = $1 AND "firstAttemptAt" < $2::timestamptz
            AND ("settledAt" IS NULL OR "settledAt" >= $2::timestamptz))
       ) AS earliest`,
      connectorId,
      w.toISOString(),
    );
    const earliest = rows[0]?.earliest;
    if (!earliest || earliest >= w) return w;
    w = earliest;
  }
}

/** Alert rows a replay from `since` rebuilds, oldest first per code, so their ids can be reused. */
export async function loadAlertsSince(tx: Tx, connectorId: number, since: Date) {
  return tx.alert.findMany({ where: { connectorId, firstSeenAt: { gte: since } }, orderBy: [{ firstSeenAt: "asc" }, { id: "asc" }] });
}

/** Drops the derived message rows a replay rebuilds; rejections by a remediation stay. */
export async function deleteMessagesSince(tx: Tx, connectorId: number, since: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    `DELETE FROM "QueuedMessage" WHERE "connectorId" = $1 AND "firstAttemptAt" >= $2::timestamptz AND state <> 'REJECTED'`,
    connectorId,
    since.toISOString(),
  );
}

export async function deleteAlerts(tx: Tx, ids: number[]): Promise<void> {
  if (ids.length > 0) await tx.alert.deleteMany({ where: { id: { in: ids } } });
}

/** Writes what the fold changed: alerts first (new ones get ids), then messages in one statement. */
export async function persistFold(tx: Tx, connectorId: number, state: FoldState): Promise<void> {
  const ids = new Map<string, number>();
  for (const a of state.alerts.values()) if (a.id !== null) ids.set(a.key, a.id);
  const dirty = [...state.alerts.values()].filter((a) => a.dirty);
  const created = dirty.filter((a) => a.id === null).sort((a, b) => newIndex(a.key) - newIndex(b.key));
  for (const a of created) {
    const row = await tx.alert.create({
      data: { connectorId, ...alertColumns(a, ids), status: a.resolvedAt ? "RESOLVED" : "ACTIVE" },
      select: { id: true },
    });
    a.id = row.id;
    ids.set(a.key, row.id);
  }
  for (const a of dirty.filter((x) => !created.includes(x))) {
    await updateAlert(tx, a, ids);
  }
  await upsertMessages(tx, connectorId, [...state.messages.values()].filter((m) => m.dirty), ids);
}

async function updateAlert(tx: Tx, a: FoldAlert, ids: Map<string, number>): Promise<void> {
  const current = await tx.alert.findUniqueOrThrow({
    where: { id: a.id! },
    select: { status: true, snoozedQueued: true, remediatedAt: true, resolvedAt: true, resolvedReason: true },
  });
  const columns = alertColumns(a, ids);
  // A remediation resolved the alert outside the event stream: the fold does not undo that.
  if (current.remediatedAt && current.resolvedAt) {
    columns.resolvedAt = current.resolvedAt;
    columns.resolvedReason = current.resolvedReason;
  }
  await tx.alert.update({ where: { id: a.id! }, data: { ...columns, status: nextStatus(current.status, columns, current.snoozedQueued) } });
}

type AlertStatusValue = "ACTIVE" | "INVESTIGATING" | "SNOOZED" | "DISMISSED" | "RESOLVED";

/** Status after a fold: resolution from events, reopening, and a snooze broken by a worse queue. */
export function nextStatus(
  current: AlertStatusValue,
  a: { resolvedAt: Date | null; queuedCount: number },
  snoozedQueued: number | null,
): AlertStatusValue {
  if (a.resolvedAt) return current === "DISMISSED" ? "DISMISSED" : "RESOLVED";
  if (current === "RESOLVED") return "ACTIVE";
  if (current === "SNOOZED" && a.queuedCount > (snoozedQueued ?? 0)) return "ACTIVE";
  return current;
}

function alertColumns(a: FoldAlert, ids: Map<string, number>) {
  return {
    errorCode: a.errorCode,
    severity: a.severity,
    firstSeenAt: a.firstSeenAt,
    lastSeenAt: a.lastSeenAt,
    eventCount: a.eventCount,
    messageCount: a.messageCount,
    queuedCount: a.queuedCount,
    expiredCount: a.expiredCount,
    failedCount: a.failedCount,
    peakQueuedCount: a.peakQueuedCount,
    longestWaitSeconds: a.longestWaitSeconds,
    oldestQueuedAt: a.oldestQueuedAt,
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

async function upsertMessages(tx: Tx, connectorId: number, messages: FoldMessage[], ids: Map<string, number>): Promise<void> {
  if (messages.length === 0) return;
  const col = <T>(f: (m: FoldMessage) => T) => messages.map(f);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await tx.$executeRawUnsafe(
    `INSERT INTO "QueuedMessage" ("connectorId","messageId","recipient","sender","state","errorCode","alertId",
       "firstAttemptAt","lastAttemptAt","expiresAt","settledAt","ndrAt","attempts")
     SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::"QueueState"[], $6::text[], $7::int[],
       $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::int[])
       AS u(m, r, s, st, code, alert, first, last, exp, settled, ndr, attempts)
     ON CONFLICT ("connectorId","messageId","recipient") DO UPDATE SET
       sender = EXCLUDED.sender, state = EXCLUDED.state, "errorCode" = EXCLUDED."errorCode", "alertId" = EXCLUDED."alertId",
       "firstAttemptAt" = EXCLUDED."firstAttemptAt", "lastAttemptAt" = EXCLUDED."lastAttemptAt", "expiresAt" = EXCLUDED."expiresAt",
       "settledAt" = EXCLUDED."settledAt", "ndrAt" = EXCLUDED."ndrAt", attempts = EXCLUDED.attempts`,
    connectorId,
    col((m) => m.messageId),
    col((m) => m.recipient),
    col((m) => m.sender),
    col((m) => m.state),
    col((m) => m.errorCode),
    col((m) => (m.alertKey ? (ids.get(m.alertKey) ?? dbId(m.alertKey)) : null)),
    col((m) => iso(m.firstAttemptAt)),
    col((m) => iso(m.lastAttemptAt)),
    col((m) => iso(m.expiresAt)),
    col((m) => iso(m.settledAt)),
    col((m) => iso(m.ndrAt)),
    col((m) => m.attempts),
  );
}

type MessageRow = {
  id: bigint; messageId: string; recipient: string; sender: string | null; state: FoldMessage["state"];
  errorCode: string | null; alertId: number | null; firstAttemptAt: Date; lastAttemptAt: Date; expiresAt: Date;
  settledAt: Date | null; ndrAt: Date | null; attempts: number;
};

const MESSAGE_COLUMNS = `q.id, q."messageId", q.recipient, q.sender, q.state::text AS state, q."errorCode", q."alertId",
  q."firstAttemptAt", q."lastAttemptAt", q."expiresAt", q."settledAt", q."ndrAt", q.attempts`;

function toFoldMessage(r: MessageRow): FoldMessage {
  return { ...r, alertKey: r.alertId === null ? null : alertKeyOf(r.alertId), dirty: false };
}

export function toFoldAlert(r: Prisma.AlertGetPayload<object>): FoldAlert {
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
    oldestQueuedAt: r.oldestQueuedAt,
    affectedDomains: r.affectedDomains,
    latestDetails: r.latestDetails,
    latestDestination: r.latestDestination,
    latestEventAt: r.latestEventAt,
    recoveredAt: r.recoveredAt,
    resolvedAt: r.resolvedAt,
    resolvedReason: r.resolvedReason,
    regressionOfKey: r.regressionOfId === null ? null : alertKeyOf(r.regressionOfId),
    severity: r.severity,
    dirty: false,
  };
}

function dbId(key: string): number | null {
  return key.startsWith("db:") ? Number(key.slice(3)) : null;
}

function newIndex(key: string): number {
  return Number(key.slice(4));
}
