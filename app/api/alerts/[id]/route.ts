/** GET /api/alerts/:id: one alert with its histogram, queued messages page, audit trail and remediation */
import { NextResponse } from "next/server";
import { getAlertDetail } from "@/lib/alerts/queries";
import { actingUser } from "@/lib/auth/actor";
import { alertDetailQuerySchema, alertDetailSchema, idParamSchema } from "@/lib/alerts/schemas";
import { readFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const query = parseSearchParams(req, alertDetailQuerySchema);
  return NextResponse.json(alertDetailSchema.parse(await readFor(req, (reader) => getAlertDetail(reader, id, query))));
});
