/** GET /api/trace/export: every row of a message-trace search (the same filters as GET /api/trace) as CSV, streamed page by page */
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { readerFor } from "@/lib/db/reader";
import { exportLocale, localizedColumns } from "@/lib/export/columns";
import { exportFilename } from "@/lib/export/csv";
import { streamExport } from "@/lib/export/service";
import { route } from "@/lib/http/handler";
import { searchParamsObject } from "@/lib/http/search-params";
import { TRACE_COLUMNS, traceExportRows } from "@/lib/trace/export";
import { traceFilter } from "@/lib/trace/search";
import { traceSearchOf } from "@/lib/trace/service";

export const GET = route(async (req) => {
  const actor = await actingUser(req);
  requireRole(actor, "read");
  const search = traceSearchOf(searchParamsObject(new URL(req.url).searchParams));
  return streamExport({
    actor,
    kind: "trace",
    filter: traceFilter(search),
    filename: exportFilename("trace", new Date()),
    columns: localizedColumns(exportLocale(req), "trace", TRACE_COLUMNS),
    rows: traceExportRows(readerFor(req), search),
  });
});
