/** GET /api/connectors: every connector with its health, settings and domains */
import { NextResponse } from "next/server";
import { listConnectors } from "@/lib/connectors/queries";
import { connectorListSchema } from "@/lib/connectors/schemas";
import { db } from "@/lib/db/client";
import { actingUser } from "@/lib/auth/actor";
import { route } from "@/lib/http/handler";

export const GET = route(async (req) => {
  await actingUser(req);
  return NextResponse.json(connectorListSchema.parse(await listConnectors(db())));
});
