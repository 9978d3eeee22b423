import "server-only";
import type pg from "pg";
import { SYSTEM_ACTOR, writeAudit } from "@/lib/audit/write";
import { arrayLiteral, type SqlTx } from "@/lib/db/sql";
import {
  ALERT_DATES, hourlyCounts, MESSAGE_DATES, metaOf, planFoldWrites, toFoldAlert, toFoldMessage, withDates,
  type AlertMeta, type AlertRow, type AlertWrite, type FoldResult, type MessageRow, type MessageWrite, type StoredEvent,
} from "@/lib/events/fold-rows";
import { CERT_EXPIRY_CODE, PROBE_SOURCE } from "@/lib/grouping/event";
import { alertKeyOf, type FoldAlert, type FoldMessage } from "@/lib/grouping/fold";
import { traceRows, type TraceSummary } from "@/lib/trace/summary";
import type { SeverityThresholds } from "@/lib/grouping/severity";

// SQL for the ingest path; the rows' mapping to and from the fold is in fold-rows.ts. Loads and
// writes cover every connector of a batch at once, and bulk statements take Postgres array
// literals (unnest) or, for alerts, a JSON record set: a fixed number of round trips per batch,
// whatever its size or the number of connectors it touches.
export type Tx = SqlTx;

/**
 * Stores events, their client ids and their hourly counts, in one statement. A client id stored
 * before (or by a concurrent batch that commits first) makes it fail with a unique violation on
 * CLIENT_ID_KEY: the caller finds those ids (findStoredClientIds) and runs the batch again. The
 * ids live in "EventClientId" because the partitioned events table cannot hold a unique index
 * without "occurredAt" (docs/partitioning.md).
 */
export async function insertEvents(tx: Tx, events: StoredEvent[], source: string): Promise<void> {
  if (events.length === 0) return;
  const column = <K extends keyof StoredEvent>(key: K) => arrayLiteral(events.map((e) => e[key] as string | number | Date | null));
  const counts = hourlyCounts(events);
  const traced = traceRows(events);
  const trace = <T>(value: (r: TraceSummary) => T) => arrayLiteral(traced.map(value) as (string | number | Date | null)[]);
  await tx.$executeRawUnsafe(
    `WITH counted AS (
       INSERT INTO "EventHourlyCount" ("connectorId", "hour", "code", "count")
       SELECT * FROM unnest($14::int[], $15::timestamptz[], $16::text[], $17::int[])
       ON CONFLICT ("connectorId", "hour", "code") DO UPDATE SET "count" = "EventHourlyCount"."count" + EXCLUDED."count"
     ),
     traced AS (${TRACE_UPSERT})
     ,ids AS (
       INSERT INTO "EventClientId" ("clientId", "occurredAt")
       SELECT u.c, u.o FROM unnest($2::text[], $3::timestamptz[]) AS u(c, o) WHERE u.c IS NOT NULL
     )
     INSERT INTO "DeliveryEvent" ("clientId","source","occurredAt","connectorId","messageId","sender","recipient",
       "recipientDomain","status","smtpStatus","errorCode","errorDetails","destination")
     SELECT u."clientId", $1, u."occurredAt", u."connectorId", u."messageId", u.sender, u.recipient, u."recipientDomain", u.status,
            u."smtpStatus", u."errorCode", u."errorDetails", u.destination
     FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::"EventStatus"[], $10::int[], $11::text[], $12::text[], $13::text[])
       AS u("clientId", "occurredAt", "connectorId", "messageId", sender, recipient, "recipientDomain", status, "smtpStatus",
            "errorCode", "errorDetails", destination)`,
    source,
    column("clientId"), column("occurredAt"), column("connectorId"), column("messageId"), column("sender"), column("recipient"),
    column("recipientDomain"), column("status"), column("smtpStatus"), column("errorCode"), column("errorDetails"), column("destination"),
    arrayLiteral(counts.map((c) => c.connectorId)),
    arrayLiteral(counts.map((c) => new Date(c.hour))),
    arrayLiteral(counts.map((c) => c.code)),
    arrayLiteral(counts.map((c) => c.count)),
    trace((r) => r.connectorId), trace((r) => r.messageId), trace((r) => r.recipient), trace((r) => r.recipientDomain),
    trace((r) => r.sender), trace((r) => r.firstAttemptAt), trace((r) => r.lastAttemptAt), trace((r) => r.attempts),
    trace((r) => r.last.status), trace((r) => r.lastCode), trace((r) => r.lastCodeAt),
  );
}

/** The fold's order of statuses at one instant (lib/grouping/event.ts): the later one is the message's latest attempt. */
const STATUS_ORDER = `ARRAY['DEFERRED','FAILED','EXPIRED','DELIVERED']`;

/**
 * Merges a batch's trace rows (lib/trace/summary.ts) into TraceMessage, with the rules of
 * traceRows: the earliest first attempt, the latest last attempt and its status and source,
 * the latest code, attempts added. Events arrive late or out of order; the merge does not care.
 */
const TRACE_UPSERT = `INSERT INTO "TraceMessage" AS t ("connectorId","messageId","recipient","recipientDomain","sender","source",
    "firstAttemptAt","lastAttemptAt","attempts","lastStatus","lastCode","lastCodeAt")
  SELECT u.c, u.m, u.r, u.d, u.s, $1, u.f, u.l, u.n, u.st, u.code, u."codeAt"
  FROM unnest($18::int[], $19::text[], $20::text[], $21::text[], $22::text[], $23::timestamptz[], $24::timestamptz[], $25::int[],
              $26::"EventStatus"[], $27::text[], $28::timestamptz[]) AS u(c, m, r, d, s, f, l, n, st, code, "codeAt")
  ON CONFLICT ("messageId","recipient","connectorId") DO UPDATE SET
    "firstAttemptAt" = LEAST(t."firstAttemptAt", EXCLUDED."firstAttemptAt"),
    "lastAttemptAt" = GREATEST(t."lastAttemptAt", EXCLUDED."lastAttemptAt"),
    attempts = t.attempts + EXCLUDED.attempts,
    sender = COALESCE(t.sender, EXCLUDED.sender),
    "lastStatus" = CASE WHEN ${newerThanStored()} THEN EXCLUDED."lastStatus" ELSE t."lastStatus" END,
    source = CASE WHEN ${newerThanStored()} THEN EXCLUDED.source ELSE t.source END,
    "lastCode" = CASE WHEN EXCLUDED."lastCodeAt" >= t."lastCodeAt" OR t."lastCodeAt" IS NULL THEN COALESCE(EXCLUDED."lastCode", t."lastCode") ELSE t."lastCode" END,
    "lastCodeAt" = GREATEST(t."lastCodeAt", EXCLUDED."lastCodeAt")`;

function newerThanStored(): string {
  return `(EXCLUDED."lastAttemptAt", array_position(${STATUS_ORDER}, EXCLUDED."lastStatus"::text))
    >= (t."lastAttemptAt", array_position(${STATUS_ORDER}, t."lastStatus"::text))`;
}

/** The unique index a client id stored before (or by a concurrent batch) violates. */
export const CLIENT_ID_KEY = "EventClientId_pkey";

const STORED_CLIENT_IDS = `SELECT i."clientId" FROM "EventClientId" i WHERE i."clientId" = ANY($1::text[])`;

/** Which of these client ids are stored (committed) now; one primary-key probe each. */
export async function findStoredClientIds(pool: pg.Pool, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<{ clientId: string }>(STORED_CLIENT_IDS, [arrayLiteral(ids)]);
  return rows.map((r) => r.clientId);
}

/** The same, seen from inside a transaction (its own uncommitted events included). */
export async function findStoredClientIdsIn(tx: Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<{ clientId: string }[]>(STORED_CLIENT_IDS, arrayLiteral(ids));
  return rows.map((r) => r.clientId);
}

/** The alerts the fold keeps: all but the probe's certificate warning (CERT_EXPIRY_CODE). */
const FOLDED = `"errorCode" <> '${CERT_EXPIRY_CODE}'`;

export type LockedConnector = { id: number; name: string; foldedThrough: Date | null; retiredAt: Date | null; queueLifetimeMinutes: number };

/**
 * Finds the connectors named by id or name and locks them, in id order so concurrent batches
 * never deadlock; returns them with their fold clocks and when they were retired (ingest
 * refuses their events; the lock keeps a retirement from committing in the middle of a batch).
 */
export async function lockConnectors(tx: Tx, ids: number[], names: string[]): Promise<LockedConnector[]> {
  return tx.$queryRawUnsafe<LockedConnector[]>(
    `SELECT id, name, "foldedThrough", "retiredAt", "queueLifetimeMinutes" FROM "Connector" WHERE id = ANY($1::int[]) OR name = ANY($2::text[]) ORDER BY id FOR UPDATE`,
    ids,
    names,
  );
}

// LOCKED_ALERTS: the alert rows a fold reads are locked (in id order, after the connectors), so
// an admin's acknowledgement, dismissal or snooze committed meanwhile is not overwritten by the
// fold's write of what it read. Nobody who holds an alert's lock waits for a connector's.
export type LoadedState = {
  alerts: Map<number, FoldAlert[]>;
  meta: Map<number, AlertMeta>;
  /** Per open alert: first attempt of its oldest queued message that the fold will not see. */
  oldestUnseen: Map<number, Date>;
  lastByCode: Map<number, Map<string, string>>;
  messages: Map<number, FoldMessage[]>;
};

/**
 * Everything the fold of the given connectors starts from, in one round trip: open alerts
 * (locked: LOCKED_ALERTS),
 * the latest alert of each code, the messages the events name and the queued ones due by
 * `until`, and for each open alert the oldest queued message outside those.
 */
export async function loadFoldState(tx: Tx, connectorIds: number[], events: StoredEvent[], until: Date): Promise<LoadedState> {
  const [row] = await tx.$queryRawUnsafe<{ alerts: JsonRow[] | null; last: LatestAlertRow[] | null; messages: JsonRow[] | null }[]>(
    `WITH ${keysOf(2)}
     SELECT
       (SELECT json_agg(x) FROM (
          SELECT a.*, (SELECT q."firstAttemptAt" FROM "QueuedMessage" q
                       WHERE q."alertId" = a.id AND q.state = 'QUEUED' AND q."expiresAt" > $5::timestamptz
                         AND (q."connectorId", q."messageId", q.recipient) NOT IN (SELECT c, m, r FROM k)
                       ORDER BY q."expiresAt" LIMIT 1) AS "oldestUnseen"
          FROM "Alert" a WHERE a."connectorId" = ANY($1::int[]) AND a."resolvedAt" IS NULL AND ${FOLDED} ORDER BY a.id FOR UPDATE OF a) x) AS alerts,
       (SELECT json_agg(x) FROM (${latestAlertPerCode("$1", "NULL")}) x) AS last,
       (SELECT json_agg(x) FROM (${namedOrDueMessages("$1", "$5")}) x) AS messages`,
    connectorIds,
    ...messageKeys(events),
    until.toISOString(),
  );
  const byConnector = <T>() => new Map(connectorIds.map((id) => [id, [] as T[]]));
  const alerts = byConnector<FoldAlert>();
  const alertRows = (row?.alerts ?? []).map((r) => withDates<AlertRow & { oldestUnseen: Date | null }>(r, ALERT_DATES));
  for (const r of alertRows) alerts.get(r.connectorId)!.push(toFoldAlert(r));
  const oldestUnseen = new Map<number, Date>();
  for (const r of alertRows) if (r.oldestUnseen) oldestUnseen.set(r.id, r.oldestUnseen);
  const messages = byConnector<FoldMessage>();
  for (const r of row?.messages ?? []) messages.get(r.connectorId as number)!.push(toFoldMessage(withDates<MessageRow>(r, MESSAGE_DATES)));
  return { alerts, meta: metaOf(alertRows), oldestUnseen, lastByCode: lastByCodeOf(connectorIds, row?.last ?? []), messages };
}

type JsonRow = Record<string, unknown>;

/** Per connector, the latest alert of each code (for regression links), optionally begun before `before`. */
export async function loadLastAlertByCode(tx: Tx, connectorIds: number[], before: Date | null): Promise<Map<number, Map<string, string>>> {
  const rows = await tx.$queryRawUnsafe<LatestAlertRow[]>(latestAlertPerCode("$1", "$2"), connectorIds, before?.toISOString() ?? null);
  return lastByCodeOf(connectorIds, rows);
}

type LatestAlertRow = { id: number; connectorId: number; errorCode: string };

/** The latest alert of each code of the connectors in `ids`, begun before `before` when that is not NULL. */
function latestAlertPerCode(ids: string, before: string): string {
  return `SELECT DISTINCT ON ("connectorId", "errorCode") id, "connectorId", "errorCode" FROM "Alert"
    WHERE "connectorId" = ANY(${ids}::int[]) AND ${FOLDED} AND (${before}::timestamptz IS NULL OR "firstSeenAt" < ${before}::timestamptz)
    ORDER BY "connectorId", "errorCode", "firstSeenAt" DESC, id DESC`;
}

function lastByCodeOf(connectorIds: number[], rows: LatestAlertRow[]): Map<number, Map<string, string>> {
  const out = new Map(connectorIds.map((id) => [id, new Map<string, string>()]));
  for (const r of rows) out.get(r.connectorId)!.set(r.errorCode, alertKeyOf(r.id));
  return out;
}

/** Per connector, the messages the events name (any state) and the queued ones that expire by `until`. */
export async function loadMessages(tx: Tx, connectorIds: number[], events: StoredEvent[], until: Date): Promise<Map<number, FoldMessage[]>> {
  const rows = await tx.$queryRawUnsafe<MessageRow[]>(
    `WITH ${keysOf(1)} ${namedOrDueMessages("$4", "$5")}`,
    ...messageKeys(events),
    connectorIds,
    until.toISOString(),
  );
  const out = new Map(connectorIds.map((id) => [id, [] as FoldMessage[]]));
  for (const r of rows) out.get(r.connectorId)!.push(toFoldMessage(r));
  return out;
}

/** The events' message keys as three array parameters for keysOf; repeats are harmless there. */
function messageKeys(events: StoredEvent[]): [string, string, string] {
  return [
    arrayLiteral(events.map((e) => e.connectorId)),
    arrayLiteral(events.map((e) => e.messageId)),
    arrayLiteral(events.map((e) => e.recipient ?? "")),
  ];
}

/** The CTE `k(c, m, r)` of message keys from messageKeys' three parameters, the first numbered `first`. */
function keysOf(first: number): string {
  return `k AS (SELECT * FROM unnest($${first}::int[], $${first + 1}::text[], $${first + 2}::text[]) AS k(c, m, r))`;
}

/** Messages named in `k` (one index probe each) and the connectors' queued ones due by `until`. */
function namedOrDueMessages(connectorIds: string, until: string): string {
  return `SELECT ${MESSAGE_COLUMNS} FROM k CROSS JOIN LATERAL (
      SELECT * FROM "QueuedMessage" q WHERE q."connectorId" = k.c AND q."messageId" = k.m AND q.recipient = k.r LIMIT 1) q
    UNION
    SELECT ${MESSAGE_COLUMNS} FROM "QueuedMessage" q
    WHERE q."connectorId" = ANY(${connectorIds}::int[]) AND q.state = 'QUEUED' AND q."expiresAt" <= ${until}::timestamptz`;
}

/**
 * The connector's events from `since`, for a replay. Certificate observations that validations
 * stored as probe events of CERT_EXPIRY_CODE before the warning left the fold stay in the history
 * but are not replayed: the fold would raise a second warning from them, and count a certificate
 * that was fine as a passing probe.
 */
export async function loadEventsSince(tx: Tx, connectorId: number, since: Date, before?: Date): Promise<StoredEvent[]> {
  return tx.$queryRawUnsafe<StoredEvent[]>(
    `SELECT "clientId", "occurredAt", "connectorId", "messageId", sender, recipient, "recipientDomain", status::text AS status,
            "smtpStatus", "errorCode", "errorDetails", destination, source = '${PROBE_SOURCE}' AS probe
     FROM "DeliveryEvent" WHERE "connectorId" = $1 AND "occurredAt" >= $2::timestamptz AND "errorCode" IS DISTINCT FROM '${CERT_EXPIRY_CODE}'
       ${before ? `AND "occurredAt" < $3::timestamptz` : ""}`,
    connectorId,
    since.toISOString(),
    ...(before ? [before.toISOString()] : []),
  );
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
         (SELECT min("firstSeenAt") FROM "Alert" WHERE "connectorId" = $1 AND ${FOLDED} AND "firstSeenAt" < $2::timestamptz
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

/** Alert rows a replay from `since` rebuilds, locked (LOCKED_ALERTS), oldest first, so their ids can be reused. */
export async function loadAlertsSince(tx: Tx, connectorId: number, since: Date): Promise<AlertRow[]> {
  return tx.$queryRawUnsafe<AlertRow[]>(
    `SELECT * FROM (SELECT * FROM "Alert" WHERE "connectorId" = $1 AND ${FOLDED} AND "firstSeenAt" >= $2::timestamptz ORDER BY id FOR UPDATE) a
     ORDER BY "firstSeenAt", id`,
    connectorId,
    since.toISOString(),
  );
}

/** Alert rows by id, locked (LOCKED_ALERTS), in id order. */
export async function lockAlerts(tx: Tx, ids: number[]): Promise<AlertRow[]> {
  if (ids.length === 0) return [];
  return tx.$queryRawUnsafe<AlertRow[]>(`SELECT * FROM "Alert" WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`, ids);
}

type StoredCheckpoint = { at: Date; state: { alerts: Record<string, unknown>[]; messages: Record<string, unknown>[] } };

/** The latest fold checkpoint of the connector after `after` and at or before `atMost` (docs/partitioning.md). */
export async function loadCheckpoint(tx: Tx, connectorId: number, after: Date, atMost: Date): Promise<StoredCheckpoint | null> {
  const rows = await tx.$queryRawUnsafe<StoredCheckpoint[]>(
    `SELECT at, state FROM "FoldCheckpoint" WHERE "connectorId" = $1 AND at > $2::timestamptz AND at <= $3::timestamptz ORDER BY at DESC LIMIT 1`,
    connectorId,
    after.toISOString(),
    atMost.toISOString(),
  );
  return rows[0] ?? null;
}

/**
 * Drops the connector's checkpoints after `from`: a replay from `from` stores an event older than
 * them, so the state they hold is stale. The retention's checkpoints are older than any event
 * ingest accepts and never match.
 */
export async function dropCheckpointsAfter(tx: Tx, connectorId: number, from: Date): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM "FoldCheckpoint" WHERE "connectorId" = $1 AND at > $2::timestamptz`, connectorId, from.toISOString());
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
  if (ids.length > 0) await tx.$executeRawUnsafe(`DELETE FROM "Alert" WHERE id = ANY($1::int[])`, ids);
}

/**
 * Writes what the folds changed in at most three statements: the new alerts (their ids are
 * needed next), then every changed message and every changed or open alert together with the
 * connectors' clocks (planFoldWrites), then the audit entries of snoozes the fold ended.
 */
export async function persistFolds(tx: Tx, results: FoldResult[], t: SeverityThresholds, now: Date): Promise<void> {
  await createAlerts(tx, results);
  const writes = planFoldWrites(results, t, now);
  await writeFolds(tx, writes.alerts, writes.messages, writes.clocks);
  await writeAudit(tx, SYSTEM_ACTOR, writes.wakes, now);
}

/** New alerts get a row (and an id) first; their columns are all written with the others. */
async function createAlerts(tx: Tx, results: FoldResult[]): Promise<void> {
  const created = results.flatMap(({ connectorId, state }) =>
    [...state.alerts.values()].filter((a) => a.id === null).map((a) => ({ connectorId, a })));
  if (created.length === 0) return;
  const rows = await tx.$queryRawUnsafe<{ id: number; connectorId: number; errorCode: string; firstSeenAt: Date }[]>(
    `INSERT INTO "Alert" ("connectorId", "errorCode", "firstSeenAt", "lastSeenAt", "updatedAt")
     SELECT u.c, u.code, u.first, u.first, now() FROM unnest($1::int[], $2::text[], $3::timestamptz[]) AS u(c, code, first)
     RETURNING id, "connectorId", "errorCode", "firstSeenAt"`,
    created.map((x) => x.connectorId),
    created.map((x) => x.a.errorCode),
    created.map((x) => x.a.firstSeenAt.toISOString()),
  );
  // One connector never has two alerts of a code starting at the same instant.
  const key = (c: number, code: string, first: Date) => `${c}|${code}|${first.getTime()}`;
  const byKey = new Map(rows.map((r) => [key(r.connectorId, r.errorCode, r.firstSeenAt), r.id]));
  for (const { connectorId, a } of created) a.id = byKey.get(key(connectorId, a.errorCode, a.firstSeenAt))!;
}

const ALERT_UPDATE_COLUMNS: [string, string][] = [
  ["errorCode", "text"], ["severity", '"Severity"'], ["status", '"AlertStatus"'], ["firstSeenAt", "timestamptz"],
  ["lastSeenAt", "timestamptz"], ["eventCount", "int"], ["messageCount", "int"], ["queuedCount", "int"],
  ["expiredCount", "int"], ["failedCount", "int"], ["peakQueuedCount", "int"], ["longestWaitSeconds", "int"],
  ["oldestQueuedAt", "timestamptz"], ["affectedDomains", "text[]"], ["latestDetails", "text"],
  ["latestDestination", "text"], ["latestEventAt", "timestamptz"], ["recoveredAt", "timestamptz"],
  ["resolvedAt", "timestamptz"], ["resolvedReason", "text"], ["regressionOfId", "int"],
];

/** Every changed message, every changed or open alert and the connectors' clocks, in one statement. */
async function writeFolds(tx: Tx, alerts: AlertWrite[], messages: MessageWrite[], clocks: { connectorId: number; clock: Date | null }[]): Promise<void> {
  // A wake (lib/alerts/snooze.ts) also forgets the snooze; otherwise the fold leaves it alone.
  const set = [...ALERT_UPDATE_COLUMNS.map(([c]) => `"${c}" = x."${c}"`),
    `"snoozedUntil" = CASE WHEN x.woken THEN NULL ELSE a."snoozedUntil" END`,
    `"snoozedQueued" = CASE WHEN x.woken THEN NULL ELSE a."snoozedQueued" END`].join(", ");
  const types = ALERT_UPDATE_COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(", ");
  const column = (value: (w: MessageWrite) => string | number | Date | null) => arrayLiteral(messages.map(value));
  await tx.$executeRawUnsafe(
    `WITH clocks AS (
       UPDATE "Connector" c SET "foldedThrough" = k.clock FROM unnest($2::int[], $3::timestamptz[]) AS k(id, clock) WHERE c.id = k.id
     ),
     messages AS (
       INSERT INTO "QueuedMessage" ("connectorId","messageId","recipient","sender","state","errorCode","alertId",
         "firstAttemptAt","lastAttemptAt","expiresAt","settledAt","ndrAt","attempts")
       SELECT * FROM unnest($4::int[], $5::text[], $6::text[], $7::text[], $8::"QueueState"[], $9::text[], $10::int[],
                            $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::int[])
       ON CONFLICT ("connectorId","messageId","recipient") DO UPDATE SET
         sender = EXCLUDED.sender, state = EXCLUDED.state, "errorCode" = EXCLUDED."errorCode", "alertId" = EXCLUDED."alertId",
         "firstAttemptAt" = EXCLUDED."firstAttemptAt", "lastAttemptAt" = EXCLUDED."lastAttemptAt", "expiresAt" = EXCLUDED."expiresAt",
         "settledAt" = EXCLUDED."settledAt", "ndrAt" = EXCLUDED."ndrAt", attempts = EXCLUDED.attempts
     )
     UPDATE "Alert" a SET ${set}, "updatedAt" = now()
     FROM json_to_recordset($1::json) AS x(id int, woken boolean, ${types}) WHERE a.id = x.id`,
    JSON.stringify(alerts),
    arrayLiteral(clocks.map((c) => c.connectorId)),
    arrayLiteral(clocks.map((c) => c.clock)),
    column((w) => w.connectorId), column((w) => w.m.messageId), column((w) => w.m.recipient), column((w) => w.m.sender),
    column((w) => w.m.state), column((w) => w.m.errorCode), column((w) => w.alertId), column((w) => w.m.firstAttemptAt),
    column((w) => w.m.lastAttemptAt), column((w) => w.m.expiresAt), column((w) => w.m.settledAt), column((w) => w.m.ndrAt),
    column((w) => w.m.attempts),
  );
}

const MESSAGE_COLUMNS = `q."connectorId", q.id, q."messageId", q.recipient, q.sender, q.state::text AS state, q."errorCode",
  q."alertId", q."firstAttemptAt", q."lastAttemptAt", q."expiresAt", q."settledAt", q."ndrAt", q.attempts`;
