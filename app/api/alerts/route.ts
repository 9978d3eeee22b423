/** GET /api/alerts: list alerts with filters, sorting, keyset pagination and per-code totals */
import { NextResponse } from "next/server";
import { listAlerts } from "@/lib/alerts/queries";
import { actingUser } from "@/lib/auth/actor";
import { alertListQuerySchema, alertListSchema } from "@/lib/alerts/schemas";
import { readFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route(async (req) => {
  await actingUser(req);
  const query = parseSearchParams(req, alertListQuerySchema);
  return NextResponse.json(alertListSchema.parse(await readFor(req, (reader) => listAlerts(reader, query))));
});
