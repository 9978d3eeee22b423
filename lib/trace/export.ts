import "server-only";
import type { Reader } from "@/lib/db/client";
import type { ColumnSpec } from "@/lib/export/columns";
import { keysetRows } from "@/lib/export/paging";
import { traceKeyOf, tracePage } from "@/lib/trace/queries";
import type { TraceRow } from "@/lib/trace/schemas";
import type { TraceSearch } from "@/lib/trace/search";

// A trace search as a CSV: every row GET /api/trace pages through for the same search, in the
// same order, read a page at a time on the same indexes (lib/export streams and audits it).

export function traceExportRows(read: Reader, search: TraceSearch): AsyncIterable<TraceRow> {
  return keysetRows((after: ReturnType<typeof traceKeyOf> | undefined, limit) => read((db) => tracePage(db, search, after, limit)), traceKeyOf);
}

export const TRACE_COLUMNS: readonly ColumnSpec<TraceRow, "trace">[] = [
  { key: "id", value: (r) => r.id },
  { key: "firstAttempt", value: (r) => new Date(r.firstAttemptAt) },
  { key: "lastAttempt", value: (r) => new Date(r.lastAttemptAt) },
  { key: "messageId", value: (r) => r.messageId },
  { key: "sender", value: (r) => r.sender },
  { key: "recipient", value: (r) => r.recipient },
  { key: "state", value: (r) => r.state },
  { key: "attempts", value: (r) => r.attempts },
  { key: "lastCode", value: (r) => r.lastCode },
  { key: "connector", value: (r) => r.connector.name },
  { key: "source", value: (r) => r.source },
];
