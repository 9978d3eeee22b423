/** GET /api/alerts/export: the alert list as CSV, with the filters and sort of GET /api/alerts (every page) */
import { ALERT_COLUMNS, alertExportFilter, alertExportRows } from "@/lib/alerts/export";
import { alertListQuerySchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { readerFor } from "@/lib/db/reader";
import { streamPageExport } from "@/lib/export/service";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route(async (req) => {
  const actor = await actingUser(req);
  requireRole(actor, "read");
  const query = parseSearchParams(req, alertListQuerySchema);
  return streamPageExport(req, { actor, kind: "alerts", filter: alertExportFilter(query), name: "alerts", group: "alerts", columns: ALERT_COLUMNS, rows: alertExportRows(readerFor(req), query) });
});
