/** GET /api/connectors/:id/events/export: the connector's events as CSV, with the filters of its events list (every page) */
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { connectorEventExport, EVENT_COLUMNS, eventExportFilter } from "@/lib/connectors/export";
import { eventsQuerySchema } from "@/lib/connectors/schemas";
import { readerFor } from "@/lib/db/reader";
import { streamPageExport } from "@/lib/export/service";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  requireRole(actor, "read");
  const { id } = idParamSchema.parse(await params);
  const query = parseSearchParams(req, eventsQuerySchema);
  const { name, rows } = await connectorEventExport(readerFor(req), id, query);
  return streamPageExport(req, { actor, kind: "connector-events", filter: eventExportFilter(id, query), name: `events-${name}`, group: "events", columns: EVENT_COLUMNS, rows });
});
