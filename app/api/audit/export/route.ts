/** GET /api/audit/export: the audit log as CSV, with the filters of GET /api/audit (every page; admins) */
import { AUDIT_COLUMNS, auditExportRows } from "@/lib/audit/export";
import { requireAuditReader } from "@/lib/audit/queries";
import { auditFilterOf, auditQuerySchema } from "@/lib/audit/schemas";
import { actingUser } from "@/lib/auth/actor";
import { readerFor } from "@/lib/db/reader";
import { streamPageExport } from "@/lib/export/service";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route(async (req) => {
  const actor = await actingUser(req);
  requireAuditReader(actor);
  const filter = auditFilterOf(parseSearchParams(req, auditQuerySchema));
  return streamPageExport(req, { actor, kind: "audit", filter, name: "audit-log", group: "audit", columns: AUDIT_COLUMNS, rows: auditExportRows(readerFor(req), filter) });
});
