import "server-only";
import { z } from "zod";
import { KNOWN_CODES } from "@/lib/alerts/codes";
import { listAlertsOfConnector, toAuditView } from "@/lib/alerts/queries";
import { OPEN_STATUSES } from "@/lib/alerts/schemas";
import { domainEntriesOf } from "@/lib/connectors/domain-timeline";
import { fillBuckets, resolveHistoryRange, seriesCodes } from "@/lib/connectors/history-range";
import { MAX_HISTORY_VALIDATIONS, type ConnectorHistory, type ConnectorList, type ConnectorView, type EventsPage, type EventsQuery, type HistoryQuery } from "@/lib/connectors/schemas";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { PROBE_SOURCE } from "@/lib/grouping/event";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { connectorRecord } from "@/lib/organisation/rows";
import { validationMarkSchema } from "@/lib/probe/schemas";

// Reads for the connector pages: health from open alerts, history from events by time bucket.

export async function listConnectors(db: Db): Promise<ConnectorList> {
  const [rows, withEvents] = await Promise.all([listConnectorRows(db), connectorsWithEvents(db)]);
  return { items: rows.map((row) => toConnectorView(row, withEvents.has(row.id))) };
}

/** Which connectors have mail events (so are retired, never deleted; probes are no mail): one index probe each. */
async function connectorsWithEvents(db: Db): Promise<Set<number>> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT c.id FROM "Connector" c WHERE EXISTS (SELECT 1 FROM "DeliveryEvent" e WHERE e."connectorId" = c.id AND e.source <> ${PROBE_SOURCE})`;
  return new Set(rows.map((r) => r.id));
}

function listConnectorRows(db: Db) {
  return db.connector.findMany({
    // Retired connectors after the ones in use.
    orderBy: [{ retiredAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
    include: {
      domains: { select: { id: true, name: true, type: true }, orderBy: { name: "asc" } },
      alerts: {
        where: { status: { in: [...OPEN_STATUSES] } },
        select: { id: true, errorCode: true, severity: true, queuedCount: true },
        orderBy: { errorCode: "asc" },
      },
    },
  });
}

/** Ids and names only: the connector filter of the alert list. */
export function listConnectorNames(db: Db): Promise<{ id: number; name: string }[]> {
  return db.connector.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}

export async function getConnectorHistory(db: Db, id: number, query: HistoryQuery, now = new Date()): Promise<ConnectorHistory> {
  const range = resolveHistoryRange(query, now);
  const connector = await db.connector.findUnique({
    where: { id },
    select: { id: true, name: true, kind: true, enabled: true, retiredAt: true, demo: true },
  });
  if (!connector) throw notFound(`Connector ${id}`);
  const [counts, alerts, connectorChanges, domainChanges, validations] = await Promise.all([
    // The hourly counts ingest keeps (EventHourlyCount): at most 24 rows a day per code, whatever
    // the traffic. The first bucket counts its whole hour.
    db.$queryRaw<{ start: Date; code: string; count: bigint }[]>`
      SELECT date_bin(${`1 ${range.bucket}`}::interval, "hour", ${BUCKET_ORIGIN}) AS start, code, sum("count")::bigint AS count
      FROM "EventHourlyCount"
      WHERE "connectorId" = ${id} AND "hour" >= date_bin('1 hour'::interval, ${range.from}::timestamptz, ${BUCKET_ORIGIN})
        AND "hour" < ${range.to}
      GROUP BY 1, 2`,
    listAlertsOfConnector(db, id, range),
    db.auditEntry.findMany({
      where: { at: { gte: range.from, lt: range.to }, targetType: "connector", targetId: String(id) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    }),
    domainChangesOf(db, id, range.from),
    db.connectorValidation.findMany({
      where: { connectorId: id, startedAt: { gte: range.from, lt: range.to } },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: MAX_HISTORY_VALIDATIONS,
      select: { id: true, trigger: true, actor: true, recipient: true, startedAt: true, durationMs: true, outcome: true, errorCode: true },
    }),
  ]);
  const changes = [...connectorChanges, ...domainChanges.filter((c) => c.at < range.to)].sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.id - b.id));
  const rows = counts.map((r) => ({ start: r.start, code: r.code, count: Number(r.count) }));
  return {
    connector: { id: connector.id, name: connector.name, kind: connector.kind, enabled: connector.enabled, retiredAt: connector.retiredAt?.toISOString() ?? null, demo: connector.demo },
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    bucket: range.bucket,
    buckets: fillBuckets(range, rows),
    codes: seriesCodes(rows),
    alerts,
    changes: changes.map(toAuditView),
    validations: validations.reverse().map((v) => validationMarkSchema.parse({ ...v, startedAt: v.startedAt.toISOString() })),
  };
}

/** Events of one connector, newest first, continued by (occurredAt, id) keyset. */
export async function listConnectorEvents(db: Db, id: number, query: EventsQuery): Promise<EventsPage> {
  await connectorName(db, id);
  const after = query.cursor ? decodeCursor(query.cursor, eventKeysetSchema) : undefined;
  const rows = await connectorEventsPage(db, id, query, after && { at: new Date(after.at), id: BigInt(after.id) }, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((e) => ({ ...e, id: e.id.toString(), occurredAt: e.occurredAt.toISOString() })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.occurredAt.toISOString(), id: last.id.toString() }) : null,
  };
}

/** The connector's name; a 404 AppError when there is no such connector. */
export async function connectorName(db: Db, id: number): Promise<string> {
  const row = await db.connector.findUnique({ where: { id }, select: { name: true } });
  if (!row) throw notFound(`Connector ${id}`);
  return row.name;
}

export type EventFilter = Pick<EventsQuery, "from" | "to" | "status" | "code">;
export type EventKey = Readonly<{ at: Date; id: bigint }>;
export type ConnectorEventRow = Awaited<ReturnType<typeof connectorEventsPage>>[number];

/**
 * Up to `take` of the connector's events matching the filter, newest first, after `after`: one
 * range read of the index (connectorId, occurredAt), for the events list and its export alike.
 */
export function connectorEventsPage(db: Db, id: number, filter: EventFilter, after: EventKey | undefined, take: number) {
  return db.deliveryEvent.findMany({
    where: {
      connectorId: id,
      occurredAt: { ...(filter.from ? { gte: new Date(filter.from) } : {}), ...(filter.to ? { lt: new Date(filter.to) } : {}) },
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.code === "other" ? { errorCode: { notIn: [...KNOWN_CODES] } } : filter.code ? { errorCode: filter.code } : {}),
      ...(after ? { AND: keysetBefore(after) } : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      occurredAt: true,
      messageId: true,
      sender: true,
      recipient: true,
      status: true,
      errorCode: true,
      errorDetails: true,
      destination: true,
      source: true,
    },
  });
}

/**
 * Changes since `from` of the domains that relay through the connector now or that an entry
 * names it for (added, moved or removed), kept where domainEntriesOf places them.
 */
async function domainChangesOf(db: Db, connectorId: number, from: Date): Promise<AuditRow[]> {
  const rows = await db.$queryRaw<(AuditRow & { relayNow: number | null })[]>`
    WITH concerned AS (
      SELECT id::text AS "targetId" FROM "AcceptedDomain" WHERE "connectorId" = ${connectorId}
      UNION
      SELECT "targetId" FROM "AuditEntry"
      WHERE "targetType" = 'domain' AND at >= ${from}
        AND (before->>'connectorId' = ${String(connectorId)} OR after->>'connectorId' = ${String(connectorId)})
    )
    SELECT a.id, a.at, a.actor, a.action, a."targetType", a."targetId", a.before, a.after, a.note, d."connectorId" AS "relayNow"
    FROM "AuditEntry" a
    JOIN concerned c ON c."targetId" = a."targetId"
    LEFT JOIN "AcceptedDomain" d ON d.id::text = a."targetId"
    WHERE a."targetType" = 'domain' AND a.at >= ${from}
    ORDER BY a.at, a.id`;
  const relayNow = new Map(rows.map((r) => [r.targetId, r.relayNow]));
  return domainEntriesOf(connectorId, rows, (domainId) => relayNow.get(domainId) ?? null);
}

type AuditRow = Prisma.AuditEntryGetPayload<object>;

/** Buckets start on whole UTC hours and days (date_bin is plain arithmetic, unlike date_trunc with a zone). */
const BUCKET_ORIGIN = new Date("2000-01-01T00:00:00Z");

/**
 * Rows before (at, id) in (occurredAt desc, id desc) order. The separate `occurredAt <= at` bounds
 * the index range scan; with the OR alone Postgres filters from the newest row on every page.
 */
function keysetBefore(after: EventKey): Prisma.DeliveryEventWhereInput[] {
  return [{ occurredAt: { lte: after.at } }, { OR: [{ occurredAt: { lt: after.at } }, { id: { lt: after.id } }] }];
}

const eventKeysetSchema = z.object({ at: z.iso.datetime(), id: z.string().regex(/^\d{1,19}$/) });

type ConnectorRow = Prisma.ConnectorGetPayload<{
  include: {
    domains: { select: { id: true; name: true; type: true } };
    alerts: { select: { id: true; errorCode: true; severity: true; queuedCount: true } };
  };
}>;

function toConnectorView(c: ConnectorRow, hasEvents: boolean): ConnectorView {
  return {
    ...connectorRecord(c),
    hasEvents,
    domains: c.domains,
    health: c.alerts.length > 0 ? "failing" : "healthy",
    openAlerts: c.alerts,
    queued: c.alerts.reduce((sum, a) => sum + a.queuedCount, 0),
  };
}
