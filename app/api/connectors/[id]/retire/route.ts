/** POST /api/connectors/:id/retire: retire a connector (kept with its history, takes no events); DELETE: restore it (admins) */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { connectorRecordSchema } from "@/lib/connectors/schemas";
import { db } from "@/lib/db/client";
import { readOptionalJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { restoreConnector, retireConnector } from "@/lib/organisation/connector-service";
import { emptyBodySchema } from "@/lib/organisation/schemas";

type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  await readOptionalJson(req, emptyBodySchema);
  return NextResponse.json(connectorRecordSchema.parse(await retireConnector(db(), actor, id)));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  return NextResponse.json(connectorRecordSchema.parse(await restoreConnector(db(), actor, id)));
});
