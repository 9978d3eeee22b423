import "server-only";
import { iso } from "@/lib/alerts/queries";
import type { Db } from "@/lib/db/client";
import type { SqlTx } from "@/lib/db/sql";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { PROBE_SOURCE } from "@/lib/grouping/event";
import type { TraceList, TraceRow, TraceState, TraceStory } from "@/lib/trace/schemas";
import { traceCursorSchema, type TraceCursor, type TraceSearch } from "@/lib/trace/search";

// SQL of the message trace. Searches read TraceMessage (one row per connector, message and
// recipient, kept by ingest) through the index of their term, ordered by (firstAttemptAt, id)
// descending and continued by a keyset cursor: a page costs the same at 1 or 100 million events.
// A story reads one message's events through (connectorId, occurredAt) between its first and last
// attempt, so it stays bounded by time when events are partitioned by it.

/** The most attempts a story lists; a message retried for days through Postfix stays far below. */
const MAX_ATTEMPTS = 1000;
const MAX_RELATED = 50;

/**
 * A row's state: its latest attempt's, or, when that was a deferral, its queue's (the fold
 * expires a message after its lifetime, and Fix now rejects it, without an event).
 */
const STATE = `CASE t."lastStatus" WHEN 'DELIVERED' THEN 'delivered' WHEN 'FAILED' THEN 'failed' WHEN 'EXPIRED' THEN 'expired'
  ELSE CASE q.state WHEN 'EXPIRED' THEN 'expired' WHEN 'REJECTED' THEN 'rejected' WHEN 'FAILED' THEN 'failed'
    WHEN 'DELIVERED' THEN 'delivered' ELSE 'queued' END END`;

const QUEUE_JOIN = `LEFT JOIN "QueuedMessage" q ON q."connectorId" = t."connectorId" AND q."messageId" = t."messageId" AND q.recipient = t.recipient`;

const ROW_COLUMNS = `t.id::text AS id, t."connectorId", c.name AS "connectorName", t."messageId", t.sender, t.recipient,
  t."firstAttemptAt", t."lastAttemptAt", t.attempts, ${STATE} AS state, t."lastCode", t.source`;

type RowRecord = {
  id: string; connectorId: number; connectorName: string; messageId: string; sender: string | null; recipient: string;
  firstAttemptAt: Date; lastAttemptAt: Date; attempts: number; state: TraceState; lastCode: string | null; source: string;
};

/** One page of a search, newest first attempt first; `cursor` continues after the last row of the page before. */
export async function searchTrace(db: SqlTx, search: TraceSearch, cursor?: string): Promise<TraceList> {
  const after = cursor ? decodeCursor(cursor, traceCursorSchema) : undefined;
  const rows = await tracePage(db, search, after, search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: rows.length > search.limit && last ? encodeCursor(traceKeyOf(last)) : null,
    range: { from: search.from.toISOString(), to: search.to.toISOString() },
  };
}

/** Up to `limit` rows of the search after `after`, in the search's order (the export reads every page this way). */
export async function tracePage(db: SqlTx, search: TraceSearch, after: TraceCursor | undefined, limit: number): Promise<TraceRow[]> {
  const { sql, values } = searchSql(search, after, limit);
  return (await db.$queryRawUnsafe<RowRecord[]>(sql, ...values)).map(toRow);
}

/** The keyset a row continues from. */
export function traceKeyOf(row: TraceRow): TraceCursor {
  return { t: row.firstAttemptAt, id: row.id };
}

/**
 * The statement of a search. Each term is one equality on a column with an index led by it and
 * followed by (firstAttemptAt, id), so Postgres walks that index from the range's end and stops
 * after a page; the state is a filter on the rows it walks (exported for the EXPLAIN test).
 */
export function searchSql(search: TraceSearch, after: TraceCursor | undefined, limit: number): { sql: string; values: unknown[] } {
  const values: unknown[] = [search.from.toISOString(), search.to.toISOString()];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = [`t."firstAttemptAt" >= $1::timestamptz`, `t."firstAttemptAt" < $2::timestamptz`];
  if (search.messageIds) where.push(`t."messageId" = ANY(${param(search.messageIds)}::text[])`);
  if (search.sender) where.push(`t.sender = ${param(search.sender)}`);
  if (search.recipient) where.push(`t.recipient = ${param(search.recipient)}`);
  if (search.domain) where.push(`t."recipientDomain" = ${param(search.domain)}`);
  if (search.code) where.push(`t."lastCode" = ${param(search.code)}`);
  if (search.connector) where.push(`t."connectorId" = ${param(search.connector)}::int`);
  if (search.status) where.push(`${STATE} = ${param(search.status)}`);
  if (after) where.push(`(t."firstAttemptAt", t.id) < (${param(after.t)}::timestamptz, ${param(after.id)}::bigint)`);
  const sql = `SELECT ${ROW_COLUMNS} FROM "TraceMessage" t JOIN "Connector" c ON c.id = t."connectorId" ${QUEUE_JOIN}
    WHERE ${where.join(" AND ")} ORDER BY t."firstAttemptAt" DESC, t.id DESC LIMIT ${param(limit)}::int`;
  return { sql, values };
}

/** One message's story for one recipient and connector: every attempt in order, its queue, alert and Fix now. */
export async function getTraceStory(db: Db, id: bigint): Promise<TraceStory> {
  const [row] = await db.$queryRawUnsafe<(RowRecord & QueueRecord)[]>(
    `SELECT ${ROW_COLUMNS}, q.id AS "queueId", q.state::text AS "queueState", q."expiresAt", q."settledAt", q."ndrAt", q."alertId"
     FROM "TraceMessage" t JOIN "Connector" c ON c.id = t."connectorId" ${QUEUE_JOIN} WHERE t.id = $1::bigint`,
    id.toString(),
  );
  if (!row) throw notFound(`Traced message ${id}`);
  const [attempts, alert, remediation, related] = await Promise.all([
    attemptsOf(db, row),
    row.alertId === null ? null : db.alert.findUnique({ where: { id: row.alertId }, select: { id: true, errorCode: true, status: true, severity: true, firstSeenAt: true } }),
    row.queueState === "REJECTED" ? rejectingRemediation(db, row) : null,
    relatedRows(db, row),
  ]);
  return {
    message: toRow(row),
    attempts: attempts.slice(0, MAX_ATTEMPTS).map((a) => ({ ...a, occurredAt: a.occurredAt.toISOString() })),
    attemptsTruncated: attempts.length > MAX_ATTEMPTS,
    queue: row.queueId === null ? null : {
      state: row.queueState!, expiresAt: row.expiresAt!.toISOString(), settledAt: iso(row.settledAt), ndrAt: iso(row.ndrAt),
    },
    alert: alert && { ...alert, firstSeenAt: alert.firstSeenAt.toISOString() },
    remediation,
    related,
  };
}

type QueueRecord = {
  queueId: string | null; queueState: NonNullable<TraceStory["queue"]>["state"] | null; expiresAt: Date | null;
  settledAt: Date | null; ndrAt: Date | null; alertId: number | null;
};

type AttemptRecord = Omit<TraceStory["attempts"][number], "occurredAt"> & { occurredAt: Date };

/**
 * The events of a message and recipient on a connector between its first and last attempt ($1–$5),
 * in the fold's order (time, then failures before deliveries): one range of the (connectorId,
 * occurredAt) index. Exported for the EXPLAIN test.
 */
export const ATTEMPTS_SQL = `SELECT id::text AS id, "occurredAt", status::text AS status, "smtpStatus", "errorCode", "errorDetails", destination, source
  FROM "DeliveryEvent"
  WHERE "connectorId" = $1 AND "occurredAt" BETWEEN $2::timestamptz AND $3::timestamptz
    AND "messageId" = $4 AND COALESCE(recipient, '') = $5 AND source <> '${PROBE_SOURCE}'
  ORDER BY "occurredAt", array_position(ARRAY['DEFERRED','FAILED','EXPIRED','DELIVERED'], status::text), id
  LIMIT ${MAX_ATTEMPTS + 1}`;

function attemptsOf(db: Db, row: RowRecord): Promise<AttemptRecord[]> {
  return db.$queryRawUnsafe<AttemptRecord[]>(ATTEMPTS_SQL, row.connectorId, row.firstAttemptAt.toISOString(), row.lastAttemptAt.toISOString(), row.messageId, row.recipient);
}

/** The Fix now that rejected the queued message: it records the ids of the messages it rejected. */
async function rejectingRemediation(db: Db, row: QueueRecord): Promise<TraceStory["remediation"]> {
  const [found] = await db.$queryRawUnsafe<{ id: number; alertId: number; appliedBy: string; appliedAt: Date; undoneAt: Date | null }[]>(
    `SELECT r.id, r."alertId", r."appliedBy", r."appliedAt", r."undoneAt" FROM "Remediation" r
     WHERE r."appliedAt" = $1::timestamptz AND r.after -> 'rejectedMessageIds' @> to_jsonb($2::text) ORDER BY r.id LIMIT 1`,
    row.settledAt!.toISOString(),
    row.queueId,
  );
  return found ? { ...found, appliedAt: found.appliedAt.toISOString(), undoneAt: iso(found.undoneAt) } : null;
}

async function relatedRows(db: Db, row: RowRecord): Promise<TraceStory["related"]> {
  const rows = await db.$queryRawUnsafe<RowRecord[]>(
    `SELECT ${ROW_COLUMNS} FROM "TraceMessage" t JOIN "Connector" c ON c.id = t."connectorId" ${QUEUE_JOIN}
     WHERE t."messageId" = $1 AND t.id <> $2::bigint ORDER BY t.recipient, t."connectorId" LIMIT ${MAX_RELATED}`,
    row.messageId,
    row.id,
  );
  return rows.map((r) => ({ id: r.id, recipient: r.recipient, connector: { id: r.connectorId, name: r.connectorName }, state: r.state }));
}

function toRow(r: RowRecord): TraceRow {
  return {
    id: r.id,
    connector: { id: r.connectorId, name: r.connectorName },
    messageId: r.messageId,
    sender: r.sender,
    recipient: r.recipient,
    firstAttemptAt: r.firstAttemptAt.toISOString(),
    lastAttemptAt: r.lastAttemptAt.toISOString(),
    attempts: r.attempts,
    state: r.state,
    lastCode: r.lastCode,
    source: r.source,
  };
}
