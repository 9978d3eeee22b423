import "server-only";
import { keysetOf, SORT_COLUMNS, type Keyset } from "@/lib/alerts/list-params";
import { filterWhere, keysetWhere } from "@/lib/alerts/queries";
import type { AlertListQuery } from "@/lib/alerts/schemas";
import type { Reader } from "@/lib/db/client";
import type { ColumnSpec } from "@/lib/export/columns";
import { keysetRows } from "@/lib/export/paging";
import type { Prisma } from "@/lib/generated/prisma/client";

// The alert list as a CSV: the rows GET /api/alerts serves for the same filters and sort, every
// page of them from the first (the page's cursor and size do not apply), read page by page.

const include = { connector: { select: { name: true } } } as const;

export type AlertExportRow = Prisma.AlertGetPayload<{ include: typeof include }>;

/** What the export records of the query: its filters and order, not the page's cursor and size. */
export function alertExportFilter(query: AlertListQuery) {
  return { status: query.status, code: query.code, connector: query.connector, q: query.q, sort: query.sort, order: query.order };
}

/** Every alert the list shows for `query`, from its first row whatever the page's cursor. */
export function alertExportRows(read: Reader, query: AlertListQuery): AsyncIterable<AlertExportRow> {
  const column = SORT_COLUMNS[query.sort];
  const fetchPage = (after: Keyset | undefined, limit: number) =>
    read((db) =>
      db.alert.findMany({
        where: { AND: [filterWhere(query), after ? keysetWhere(column, query.order, after) : {}] },
        include,
        orderBy: [{ [column]: query.order }, { id: query.order }],
        take: limit,
      }),
    );
  return keysetRows(fetchPage, (row) => keysetOf(row, query.sort));
}

export const ALERT_COLUMNS: readonly ColumnSpec<AlertExportRow, "alerts">[] = [
  { key: "id", value: (a) => a.id },
  { key: "connector", value: (a) => a.connector.name },
  { key: "code", value: (a) => a.errorCode },
  { key: "status", value: (a) => a.status },
  { key: "severity", value: (a) => a.severity },
  { key: "firstSeen", value: (a) => a.firstSeenAt },
  { key: "lastSeen", value: (a) => a.lastSeenAt },
  { key: "events", value: (a) => a.eventCount },
  { key: "messages", value: (a) => a.messageCount },
  { key: "queued", value: (a) => a.queuedCount },
  { key: "expired", value: (a) => a.expiredCount },
  { key: "oldestQueued", value: (a) => a.oldestQueuedAt },
  { key: "destination", value: (a) => a.latestDestination },
  { key: "details", value: (a) => a.latestDetails },
  { key: "resolved", value: (a) => a.resolvedAt },
  { key: "snoozedUntil", value: (a) => a.snoozedUntil },
  { key: "regressionOf", value: (a) => a.regressionOfId },
];
