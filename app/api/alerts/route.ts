/** GET /api/alerts: list alerts with filters, sorting, keyset pagination and per-code totals */
import { NextResponse } from "next/server";
import { listAlerts } from "@/lib/alerts/queries";
import { alertListQuerySchema, alertListSchema } from "@/lib/alerts/schemas";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route(async (req) => {
  const query = parseSearchParams(req, alertListQuerySchema);
  return NextResponse.json(alertListSchema.parse(await listAlerts(db(), query)));
});
