import "server-only";
import { auditPage, type AuditKey, type AuditRow } from "@/lib/audit/queries";
import type { AuditFilter } from "@/lib/audit/schemas";
import type { Reader } from "@/lib/db/client";
import type { ColumnSpec } from "@/lib/export/columns";
import { keysetRows } from "@/lib/export/paging";

// The audit log as a CSV: the entries GET /api/audit serves for the same filters, newest first.

export function auditExportRows(read: Reader, filter: AuditFilter): AsyncIterable<AuditRow> {
  return keysetRows((after: AuditKey | undefined, limit) => read((db) => auditPage(db, filter, after, limit)), (row) => ({ at: row.at, id: row.id }));
}

export const AUDIT_COLUMNS: readonly ColumnSpec<AuditRow, "audit">[] = [
  { key: "id", value: (e) => e.id },
  { key: "at", value: (e) => e.at },
  { key: "actor", value: (e) => e.actor },
  { key: "action", value: (e) => e.action },
  { key: "targetType", value: (e) => e.targetType },
  { key: "targetId", value: (e) => e.targetId },
  { key: "before", value: (e) => json(e.before) },
  { key: "after", value: (e) => json(e.after) },
  { key: "note", value: (e) => e.note },
];

/** Before and after values as compact JSON in one cell; none as an empty cell. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
