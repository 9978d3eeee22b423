/** GET /api/connectors: every connector with its health, settings and domains; POST: add one (admins) */
import { NextResponse } from "next/server";
import { listConnectors } from "@/lib/connectors/queries";
import { connectorListSchema, connectorRecordSchema } from "@/lib/connectors/schemas";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { actingUser } from "@/lib/auth/actor";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { createConnector } from "@/lib/organisation/connector-service";
import { createConnectorBodySchema } from "@/lib/organisation/schemas";

export const GET = route(async (req) => {
  await actingUser(req);
  return NextResponse.json(connectorListSchema.parse(await readFor(req, listConnectors)));
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const fields = await readJson(req, createConnectorBodySchema);
  return NextResponse.json(connectorRecordSchema.parse(await createConnector(db(), actor, fields)), { status: 201 });
});
