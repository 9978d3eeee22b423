/** GET /api/connectors/:id/history: event counts per time bucket and code, alerts and configuration changes */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { getConnectorHistory } from "@/lib/connectors/queries";
import { historyQuerySchema, historySchema } from "@/lib/connectors/schemas";
import { readFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const query = parseSearchParams(req, historyQuerySchema);
  return NextResponse.json(historySchema.parse(await readFor(req, (reader) => getConnectorHistory(reader, id, query))));
});
