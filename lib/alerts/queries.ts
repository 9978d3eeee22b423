import "server-only";
import { z } from "zod";
import { KNOWN_CODES } from "@/lib/alerts/codes";
import { foldTotals, keysetOf, severitiesAfter, SORT_COLUMNS, statusesFor, type Keyset } from "@/lib/alerts/list-params";
import {
  OPEN_STATUSES,
  type AlertDetail,
  type AlertDetailQuery,
  type AlertList,
  type AlertListQuery,
  type AlertSummary,
  type AuditEntryView,
  type QueuedMessageView,
} from "@/lib/alerts/schemas";
import type { Db } from "@/lib/db/client";
import { likeLiteral } from "@/lib/db/like";
import { QUEUE_STATES, type Severity } from "@/lib/db/enums";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { expectedAlerts, type ExpectedBy } from "@/lib/notify/maintenance";

// Reads of the Alert table for the dashboard. The list touches only Alert and Connector rows
// (no per-row work over events), so it stays fast however many events are stored.

const AUDIT_LIMIT = 200;
const HOUR_ORIGIN = new Date("2000-01-01T00:00:00Z");

const connectorRef = { select: { id: true, name: true, kind: true, enabled: true } } as const;

export async function listAlerts(db: Db, query: AlertListQuery): Promise<AlertList> {
  const keyset = query.cursor ? decodeCursor(query.cursor, keysetSchema) : undefined;
  const column = SORT_COLUMNS[query.sort];
  const where: Prisma.AlertWhereInput = {
    AND: [filterWhere(query), keyset ? keysetWhere(column, query.order, keyset) : {}],
  };
  const [rows, grouped] = await Promise.all([
    db.alert.findMany({
      where,
      include: { connector: connectorRef },
      orderBy: [{ [column]: query.order }, { id: query.order }],
      take: query.limit + 1,
    }),
    db.alert.groupBy({
      by: ["errorCode"],
      where: { status: { in: [...OPEN_STATUSES] } },
      _count: { _all: true },
      _sum: { queuedCount: true },
    }),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await summaries(db, page),
    nextCursor: rows.length > query.limit && last ? encodeCursor(keysetOf(last, query.sort)) : null,
    totals: foldTotals(grouped.map((g) => ({ errorCode: g.errorCode, alerts: g._count._all, queued: g._sum.queuedCount ?? 0 }))),
  };
}

/** Alerts of one connector that were open at some point of [from, to), oldest first. */
export async function listAlertsOfConnector(db: Db, connectorId: number, range: { from: Date; to: Date }): Promise<AlertSummary[]> {
  const rows = await db.alert.findMany({
    where: {
      connectorId,
      firstSeenAt: { lt: range.to },
      OR: [{ status: { in: [...OPEN_STATUSES] } }, { resolvedAt: { gte: range.from } }, { resolvedAt: null, lastSeenAt: { gte: range.from } }],
    },
    include: { connector: connectorRef },
    orderBy: [{ firstSeenAt: "asc" }, { id: "asc" }],
  });
  return summaries(db, rows);
}

export async function getAlertDetail(db: Db, id: number, query: AlertDetailQuery): Promise<AlertDetail> {
  const alert = await db.alert.findUnique({
    where: { id },
    include: {
      connector: { select: { id: true, name: true, kind: true, enabled: true, smartHosts: true, tlsMode: true } },
      regressionOf: { select: relatedSelect },
      regressions: { select: relatedSelect, orderBy: { firstSeenAt: "asc" } },
    },
  });
  if (!alert) throw notFound(`Alert ${id}`);
  const until = alert.resolvedAt ?? alert.lastSeenAt;
  const [histogram, messages, audit, remediation, domains, expected] = await Promise.all([
    hourlyHistogram(db, alert.connectorId, alert.errorCode, alert.firstSeenAt, until),
    queuedMessagesPage(db, id, query),
    db.auditEntry.findMany({
      where: { targetType: "alert", targetId: String(id) },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: AUDIT_LIMIT,
    }),
    db.remediation.findFirst({ where: { alertId: id }, orderBy: [{ appliedAt: "desc" }, { id: "desc" }] }),
    db.acceptedDomain.findMany({ where: { connectorId: alert.connectorId }, select: { id: true, name: true, type: true }, orderBy: { name: "asc" } }),
    expectedAlerts(db, [alert]),
  ]);
  return {
    alert: {
      ...toSummary(alert, expected.get(id)),
      connector: alert.connector,
      affectedDomains: alert.affectedDomains,
      latestDetails: alert.latestDetails,
      latestEventAt: iso(alert.latestEventAt),
      recoveredAt: iso(alert.recoveredAt),
      resolvedReason: alert.resolvedReason,
      acknowledgedBy: alert.acknowledgedBy,
      acknowledgedAt: iso(alert.acknowledgedAt),
      dismissedBy: alert.dismissedBy,
      dismissedReason: alert.dismissedReason,
      snoozedQueued: alert.snoozedQueued,
      remediatedBy: alert.remediatedBy,
      remediatedAt: iso(alert.remediatedAt),
    },
    regressionOf: alert.regressionOf ? toRelated(alert.regressionOf) : null,
    regressions: alert.regressions.map(toRelated),
    histogram,
    messages,
    audit: audit.map(toAuditView),
    remediation: remediation && {
      id: remediation.id,
      kind: remediation.kind,
      appliedBy: remediation.appliedBy,
      appliedAt: remediation.appliedAt.toISOString(),
      before: remediation.before,
      after: remediation.after,
      undoneBy: remediation.undoneBy,
      undoneAt: iso(remediation.undoneAt),
    },
    domains,
  };
}

export function toAuditView(entry: {
  id: bigint;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
  note: string | null;
}): AuditEntryView {
  return { ...entry, id: entry.id.toString(), at: entry.at.toISOString() };
}

export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

// Served by the index (connectorId, errorCode, occurredAt): one range scan, grouped by hour.
async function hourlyHistogram(db: Db, connectorId: number, errorCode: string, from: Date, to: Date) {
  const rows = await db.$queryRaw<{ hour: Date; count: bigint }[]>`
    SELECT date_bin('1 hour'::interval, "occurredAt", ${HOUR_ORIGIN}) AS hour, count(*) AS count
    FROM "DeliveryEvent"
    WHERE "connectorId" = ${connectorId} AND "errorCode" = ${errorCode}
      AND "occurredAt" >= ${from} AND "occurredAt" <= ${to}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ hour: r.hour.toISOString(), count: Number(r.count) }));
}

// QUEUED first (it is first in the enum), then soonest to expire: the order of index
// (alertId, state, expiresAt), continued by keyset.
async function queuedMessagesPage(db: Db, alertId: number, query: AlertDetailQuery) {
  const after = query.messagesCursor ? decodeCursor(query.messagesCursor, messageKeysetSchema, "messagesCursor") : undefined;
  const rows = await db.queuedMessage.findMany({
    where: { alertId, ...(after ? messageKeysetWhere(after) : {}) },
    orderBy: [{ state: "asc" }, { expiresAt: "asc" }, { id: "asc" }],
    take: query.messagesLimit + 1,
  });
  const page = rows.slice(0, query.messagesLimit);
  const last = page.at(-1);
  return {
    items: page.map(toMessageView),
    nextCursor:
      rows.length > query.messagesLimit && last
        ? encodeCursor({ state: last.state, expiresAt: last.expiresAt.toISOString(), id: last.id.toString() })
        : null,
  };
}

const keysetSchema = z.object({ value: z.union([z.string().max(40), z.number()]), id: z.number().int() });
const messageKeysetSchema = z.object({
  state: z.enum(QUEUE_STATES),
  expiresAt: z.iso.datetime(),
  id: z.string().regex(/^\d{1,19}$/),
});

export function filterWhere(query: AlertListQuery): Prisma.AlertWhereInput {
  const and: Prisma.AlertWhereInput[] = [{ status: { in: [...statusesFor(query.status)] } }];
  if (query.code === "other") and.push({ errorCode: { notIn: [...KNOWN_CODES] } });
  else if (query.code) and.push({ errorCode: query.code });
  if (query.connector) and.push({ connectorId: query.connector });
  if (query.q) {
    const contains = { contains: likeLiteral(query.q), mode: "insensitive" } as const;
    and.push({
      OR: [
        { connector: { name: contains } },
        { errorCode: contains },
        { latestDetails: contains },
        { latestDestination: contains },
      ],
    });
  }
  return { AND: and };
}

export function keysetWhere(column: (typeof SORT_COLUMNS)[keyof typeof SORT_COLUMNS], order: "asc" | "desc", keyset: Keyset): Prisma.AlertWhereInput {
  const idAfter = order === "asc" ? { gt: keyset.id } : { lt: keyset.id };
  if (column === "severity") {
    const severity = String(keyset.value) as Severity;
    return {
      OR: [{ severity: { in: severitiesAfter(severity, order) } }, { severity, id: idAfter }],
    };
  }
  const value = column === "lastSeenAt" || column === "firstSeenAt" ? new Date(String(keyset.value)) : Number(keyset.value);
  const valueAfter = order === "asc" ? { gt: value } : { lt: value };
  return { OR: [{ [column]: valueAfter }, { [column]: value, id: idAfter }] };
}

function messageKeysetWhere(after: z.infer<typeof messageKeysetSchema>): Prisma.QueuedMessageWhereInput {
  const later = QUEUE_STATES.slice(QUEUE_STATES.indexOf(after.state) + 1);
  const expiresAt = new Date(after.expiresAt);
  return {
    OR: [
      { state: { in: [...later] } },
      { state: after.state, expiresAt: { gt: expiresAt } },
      { state: after.state, expiresAt, id: { gt: BigInt(after.id) } },
    ],
  };
}

const relatedSelect = { id: true, status: true, firstSeenAt: true, lastSeenAt: true, resolvedAt: true } as const;

function toRelated(a: { id: number; status: AlertSummary["status"]; firstSeenAt: Date; lastSeenAt: Date; resolvedAt: Date | null }) {
  return { ...a, firstSeenAt: a.firstSeenAt.toISOString(), lastSeenAt: a.lastSeenAt.toISOString(), resolvedAt: iso(a.resolvedAt) };
}

type AlertRow = Prisma.AlertGetPayload<{ include: { connector: typeof connectorRef } }>;

/** Rows as the API's summaries, each with the maintenance window that makes it expected (one query for all). */
async function summaries(db: Db, rows: readonly AlertRow[]): Promise<AlertSummary[]> {
  const expected = await expectedAlerts(db, rows);
  return rows.map((row) => toSummary(row, expected.get(row.id)));
}

function toSummary(a: AlertRow, expected: ExpectedBy | undefined): AlertSummary {
  return {
    id: a.id,
    connector: { id: a.connector.id, name: a.connector.name, kind: a.connector.kind, enabled: a.connector.enabled },
    errorCode: a.errorCode,
    status: a.status,
    severity: a.severity,
    firstSeenAt: a.firstSeenAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    eventCount: a.eventCount,
    messageCount: a.messageCount,
    queuedCount: a.queuedCount,
    expiredCount: a.expiredCount,
    oldestQueuedAt: iso(a.oldestQueuedAt),
    latestDestination: a.latestDestination,
    resolvedAt: iso(a.resolvedAt),
    regressionOfId: a.regressionOfId,
    snoozedUntil: iso(a.snoozedUntil),
    expected: expected ? { windowId: expected.windowId, reason: expected.reason, endsAt: expected.endsAt.toISOString() } : null,
  };
}

function toMessageView(m: {
  id: bigint;
  messageId: string;
  recipient: string;
  sender: string | null;
  state: QueuedMessageView["state"];
  attempts: number;
  firstAttemptAt: Date;
  lastAttemptAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
  ndrAt: Date | null;
}): QueuedMessageView {
  return {
    id: m.id.toString(),
    messageId: m.messageId,
    recipient: m.recipient,
    sender: m.sender,
    state: m.state,
    attempts: m.attempts,
    firstAttemptAt: m.firstAttemptAt.toISOString(),
    lastAttemptAt: m.lastAttemptAt.toISOString(),
    expiresAt: m.expiresAt.toISOString(),
    settledAt: iso(m.settledAt),
    ndrAt: iso(m.ndrAt),
  };
}
