/** GET /api/audit: the audit log, newest first, filtered by time range, actor, action and target type, paged (admins) */
import { NextResponse } from "next/server";
import { listAudit, requireAuditReader } from "@/lib/audit/queries";
import { auditPageSchema, auditQuerySchema } from "@/lib/audit/schemas";
import { actingUser } from "@/lib/auth/actor";
import { readFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route(async (req) => {
  requireAuditReader(await actingUser(req));
  const query = parseSearchParams(req, auditQuerySchema);
  return NextResponse.json(auditPageSchema.parse(await readFor(req, (reader) => listAudit(reader, query))));
});
