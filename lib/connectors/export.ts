import "server-only";
import { connectorEventsPage, connectorName, type ConnectorEventRow, type EventFilter, type EventKey } from "@/lib/connectors/queries";
import type { EventsQuery } from "@/lib/connectors/schemas";
import type { Reader } from "@/lib/db/client";
import type { ColumnSpec } from "@/lib/export/columns";
import { keysetRows } from "@/lib/export/paging";

// A connector's events as a CSV: the rows GET /api/connectors/:id/events serves for the same
// filters, newest first, every page of them, read page by page on the index.

export type EventExportRow = ConnectorEventRow & Readonly<{ connector: string }>;

/** What the export records of the query: the connector and the filters, not the page's cursor and size. */
export function eventExportFilter(connectorId: number, query: EventsQuery) {
  return { connector: connectorId, from: query.from, to: query.to, status: query.status, code: query.code };
}

/** The connector's name (a 404 AppError when it does not exist, checked before anything streams) and its rows. */
export async function connectorEventExport(read: Reader, id: number, filter: EventFilter): Promise<{ name: string; rows: AsyncIterable<EventExportRow> }> {
  const name = await read((db) => connectorName(db, id));
  const pages = keysetRows(
    (after: EventKey | undefined, limit) => read((db) => connectorEventsPage(db, id, filter, after, limit)),
    (row) => ({ at: row.occurredAt, id: row.id }),
  );
  async function* rows() {
    for await (const row of pages) yield { ...row, connector: name };
  }
  return { name, rows: rows() };
}

export const EVENT_COLUMNS: readonly ColumnSpec<EventExportRow, "events">[] = [
  { key: "id", value: (e) => e.id },
  { key: "occurredAt", value: (e) => e.occurredAt },
  { key: "connector", value: (e) => e.connector },
  { key: "status", value: (e) => e.status },
  { key: "code", value: (e) => e.errorCode },
  { key: "messageId", value: (e) => e.messageId },
  { key: "sender", value: (e) => e.sender },
  { key: "recipient", value: (e) => e.recipient },
  { key: "destination", value: (e) => e.destination },
  { key: "details", value: (e) => e.errorDetails },
  { key: "source", value: (e) => e.source },
];
