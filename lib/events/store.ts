import type { Prisma } from "@/lib/generated/prisma/client";
import type { NormalizedEvent } from "@/lib/events/normalize";
import { alertKeyOf, alertSeverity, type FoldAlert, type FoldMessage, type FoldState } from "@/lib/grouping/fold";
import type { SeverityThresholds } from "@/lib/grouping/severity";

// SQL for the ingest path. Loads and writes cover every connector of a batch at once, and bulk
// statements take typed arrays (unnest) or a JSON record set: a fixed number of round trips
// per batch, whatever its size or the number of connectors it touches.
export type Tx = Prisma.TransactionClient;

export type StoredEvent = NormalizedEvent & { connectorId: number };
export type MessageKey = { connectorId: number; messageId: string; recipient: string };
type AlertRow = Prisma.AlertGetPayload<object>;
export type AlertMeta = Pick<AlertRow, "status" | "snoozedQueued" | "remediatedAt" | "resolvedAt" | "resolvedReason">;
export type FoldResult = { connectorId: number; state: FoldState; meta: Map<number, AlertMeta> };

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

/** Per connector, the latest alert of each code (for regression links), optionally begun before `before`. */
export async function loadLastAlertByCode(tx: Tx, connectorIds: number[], before: Date | null): Promise<Map<number, Map<string, string>>> {
  const rows = await tx.$queryRawUnsafe<{ id: number; connectorId: number; errorCode: string }[]>(
    `SELECT DISTINCT ON ("connectorId", "errorCode") id, "connectorId", "errorCode" FROM "Alert"
     WHERE "connectorId" = ANY($1::int[]) AND ($2::timestamptz IS NULL OR "firstSeenAt" < $2::timestamptz)
     ORDER BY "connectorId", "errorCode", "firstSeenAt" DESC, id DESC`,
    connectorIds,
    before?.toISOString() ?? null,
  );
  const out = new Map(connectorIds.map((id) => [id, new Map<string, string>()]));
  for (const r of rows) out.get(r.connectorId)!.set(r.errorCode, alertKeyOf(r.id));
  return out;
}

/** Open alerts per connector, with what admins did to them (kept apart from the fold). */
export async function loadOpenAlerts(tx: Tx, connectorIds: number[]): Promise<{ alerts: Map<number, FoldAlert[]>; meta: Map<number, AlertMeta> }> {
  const rows = await tx.alert.findMany({ where: { connectorId: { in: connectorIds }, resolvedAt: null } });
  const alerts = new Map(connectorIds.map((id) => [id, [] as FoldAlert[]]));
  for (const r of rows) alerts.get(r.connectorId)!.push(toFoldAlert(r));
  return { alerts, meta: metaOf(rows) };
}

export function metaOf(rows: AlertRow[]): Map<number, AlertMeta> {
  return new Map(rows.map((r) => [r.id, { status: r.status, snoozedQueued: r.snoozedQueued, remediatedAt: r.remediatedAt, resolvedAt: r.resolvedAt, resolvedReason: r.resolvedReason }]));
}

/** Per connector, the named messages (any state) and the queued ones that expire by `until`. */
export async function loadMessages(tx: Tx, connectorIds: number[], keys: MessageKey[], until: Date): Promise<Map<number, FoldMessage[]>> {
  const rows = await tx.$queryRawUnsafe<MessageRow[]>(
    `SELECT ${MESSAGE_COLUMNS} FROM "QueuedMessage" q
     JOIN unnest($1::int[], $2::text[], $3::text[]) AS k(c, m, r) ON q."connectorId" = k.c AND q."messageId" = k.m AND q.recipient = k.r
     UNION
     SELECT ${MESSAGE_COLUMNS} FROM "QueuedMessage" q
     WHERE q."connectorId" = ANY($4::int[]) AND q.state = 'QUEUED' AND q."expiresAt" <= $5::timestamptz`,
    keys.map((k) => k.connectorId),
    keys.map((k) => k.messageId),
    keys.map((k) => k.recipient),
    connectorIds,
    until.toISOString(),
  );
  const out = new Map(connectorIds.map((id) => [id, [] as FoldMessage[]]));
  for (const r of rows) out.get(r.connectorId)!.push(toFoldMessage(r));
  return out;
}

export async function loadEventsSince(tx: Tx, connectorId: number, since: Date): Promise<StoredEvent[]> {
  return tx.deliveryEvent.findMany({
    where: { connectorId, occurredAt: { gte: since } },
    select: {
      clientId: true, occurredAt: true, connectorId: true, messageId: true, sender: true, recipient: true,
      recipientDomain: true, status: true, smtpStatus: true, errorCode: true, errorDetails: true, destination: true,
    },
  });
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

/** Alert rows a replay from `since` rebuilds, oldest first, so their ids can be reused. */
export async function loadAlertsSince(tx: Tx, connectorId: number, since: Date): Promise<AlertRow[]> {
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

/**
 * Writes what the folds changed: new alerts one by one (they need ids, and a regression may
 * point at one made in the same batch), then every changed message, every changed alert (with
 * its severity, which needs the oldest message still queued) and every connector clock in one
 * statement each.
 */
export async function persistFolds(tx: Tx, results: FoldResult[], t: SeverityThresholds): Promise<void> {
  const dirtyAlerts: { alert: FoldAlert; ids: Map<string, number>; meta: AlertMeta | undefined; clock: Date | null }[] = [];
  const messages: MessageWrite[] = [];
  for (const { connectorId, state, meta } of results) {
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
    // Open alerts are rewritten even when no event touched them: their severity grows with the clock.
    for (const a of state.alerts.values()) {
      if (a.dirty || a.resolvedAt === null) dirtyAlerts.push({ alert: a, ids, meta: created.includes(a) ? undefined : meta.get(a.id!), clock: state.clock });
    }
    for (const m of state.messages.values()) {
      if (m.dirty) messages.push({ connectorId, m, alertId: m.alertKey ? (ids.get(m.alertKey) ?? dbId(m.alertKey)) : null });
    }
  }
  await upsertMessages(tx, messages);
  const oldest = await oldestQueued(tx, dirtyAlerts.filter((d) => d.alert.resolvedAt === null && d.alert.queuedCount > 0).map((d) => d.alert.id!));
  await updateAlerts(tx, dirtyAlerts.map(({ alert, ids, meta, clock }) => {
    const oldestQueuedAt = alert.resolvedAt === null ? (oldest.get(alert.id!) ?? null) : null;
    return updateRow(alert, ids, meta, { oldestQueuedAt, severity: alertSeverity(alert, oldestQueuedAt, clock, t) });
  }));
  await setConnectorClocks(tx, results.map((r) => ({ connectorId: r.connectorId, clock: r.state.clock })));
}

type AlertStatusValue = AlertRow["status"];

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

/** The first attempt of each alert's oldest still-queued message (an index probe per alert). */
async function oldestQueued(tx: Tx, alertIds: number[]): Promise<Map<number, Date>> {
  if (alertIds.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<{ id: number; first: Date }[]>(
    `SELECT a.id, o."firstAttemptAt" AS first FROM unnest($1::int[]) AS a(id)
     CROSS JOIN LATERAL (SELECT "firstAttemptAt" FROM "QueuedMessage" q
       WHERE q."alertId" = a.id AND q.state = 'QUEUED' ORDER BY q."expiresAt" LIMIT 1) o`,
    alertIds,
  );
  return new Map(rows.map((r) => [r.id, r.first]));
}

function updateRow(a: FoldAlert, ids: Map<string, number>, meta: AlertMeta | undefined, derived: Pick<AlertRow, "oldestQueuedAt" | "severity">): Record<string, unknown> {
  const columns = { ...alertColumns(a, ids), ...derived };
  // A remediation resolved the alert outside the event stream: the fold does not undo that.
  if (meta?.remediatedAt && meta.resolvedAt) {
    columns.resolvedAt = meta.resolvedAt;
    columns.resolvedReason = meta.resolvedReason;
  }
  return { id: a.id, ...columns, status: nextStatus(meta?.status ?? "ACTIVE", columns, meta?.snoozedQueued ?? null) };
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

const ALERT_UPDATE_COLUMNS: [string, string][] = [
  ["errorCode", "text"], ["severity", '"Severity"'], ["status", '"AlertStatus"'], ["firstSeenAt", "timestamptz"],
  ["lastSeenAt", "timestamptz"], ["eventCount", "int"], ["messageCount", "int"], ["queuedCount", "int"],
  ["expiredCount", "int"], ["failedCount", "int"], ["peakQueuedCount", "int"], ["longestWaitSeconds", "int"],
  ["oldestQueuedAt", "timestamptz"], ["affectedDomains", "text[]"], ["latestDetails", "text"],
  ["latestDestination", "text"], ["latestEventAt", "timestamptz"], ["recoveredAt", "timestamptz"],
  ["resolvedAt", "timestamptz"], ["resolvedReason", "text"], ["regressionOfId", "int"],
];

async function updateAlerts(tx: Tx, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const set = ALERT_UPDATE_COLUMNS.map(([c]) => `"${c}" = x."${c}"`).join(", ");
  const types = ALERT_UPDATE_COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(", ");
  await tx.$executeRawUnsafe(
    `UPDATE "Alert" a SET ${set}, "updatedAt" = now()
     FROM jsonb_to_recordset($1::jsonb) AS x(id int, ${types}) WHERE a.id = x.id`,
    JSON.stringify(rows),
  );
}

type MessageWrite = { connectorId: number; m: FoldMessage; alertId: number | null };

async function upsertMessages(tx: Tx, rows: MessageWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (m: FoldMessage) => T) => rows.map((r) => f(r.m));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await tx.$executeRawUnsafe(
    `INSERT INTO "QueuedMessage" ("connectorId","messageId","recipient","sender","state","errorCode","alertId",
       "firstAttemptAt","lastAttemptAt","expiresAt","settledAt","ndrAt","attempts")
     SELECT u.* FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::"QueueState"[], $6::text[], $7::int[],
       $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::int[])
       AS u(c, m, r, s, st, code, alert, first, last, exp, settled, ndr, attempts)
     ON CONFLICT ("connectorId","messageId","recipient") DO UPDATE SET
       sender = EXCLUDED.sender, state = EXCLUDED.state, "errorCode" = EXCLUDED."errorCode", "alertId" = EXCLUDED."alertId",
       "firstAttemptAt" = EXCLUDED."firstAttemptAt", "lastAttemptAt" = EXCLUDED."lastAttemptAt", "expiresAt" = EXCLUDED."expiresAt",
       "settledAt" = EXCLUDED."settledAt", "ndrAt" = EXCLUDED."ndrAt", attempts = EXCLUDED.attempts`,
    rows.map((r) => r.connectorId),
    col((m) => m.messageId),
    col((m) => m.recipient),
    col((m) => m.sender),
    col((m) => m.state),
    col((m) => m.errorCode),
    rows.map((r) => r.alertId),
    col((m) => iso(m.firstAttemptAt)),
    col((m) => iso(m.lastAttemptAt)),
    col((m) => iso(m.expiresAt)),
    col((m) => iso(m.settledAt)),
    col((m) => iso(m.ndrAt)),
    col((m) => m.attempts),
  );
}

async function setConnectorClocks(tx: Tx, clocks: { connectorId: number; clock: Date | null }[]): Promise<void> {
  if (clocks.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Connector" c SET "foldedThrough" = k.clock FROM unnest($1::int[], $2::timestamptz[]) AS k(id, clock) WHERE c.id = k.id`,
    clocks.map((c) => c.connectorId),
    clocks.map((c) => c.clock?.toISOString() ?? null),
  );
}

type MessageRow = {
  connectorId: number; id: bigint; messageId: string; recipient: string; sender: string | null; state: FoldMessage["state"];
  errorCode: string | null; alertId: number | null; firstAttemptAt: Date; lastAttemptAt: Date; expiresAt: Date;
  settledAt: Date | null; ndrAt: Date | null; attempts: number;
};

const MESSAGE_COLUMNS = `q."connectorId", q.id, q."messageId", q.recipient, q.sender, q.state::text AS state, q."errorCode",
  q."alertId", q."firstAttemptAt", q."lastAttemptAt", q."expiresAt", q."settledAt", q."ndrAt", q.attempts`;

function toFoldMessage({ connectorId: _connectorId, ...r }: MessageRow): FoldMessage {
  return { ...r, alertKey: r.alertId === null ? null : alertKeyOf(r.alertId), dirty: false };
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

function dbId(key: string): number | null {
  return key.startsWith("db:") ? Number(key.slice(3)) : null;
}

function newIndex(key: string): number {
  return Number(key.slice(4));
}
