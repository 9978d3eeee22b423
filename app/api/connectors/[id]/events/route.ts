/** GET /api/connectors/:id/events: the connector's delivery events, newest first, page by page */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { listConnectorEvents } from "@/lib/connectors/queries";
import { eventsPageSchema, eventsQuerySchema } from "@/lib/connectors/schemas";
import { readFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { parseSearchParams } from "@/lib/http/search-params";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const query = parseSearchParams(req, eventsQuerySchema);
  return NextResponse.json(eventsPageSchema.parse(await readFor(req, (reader) => listConnectorEvents(reader, id, query))));
});
