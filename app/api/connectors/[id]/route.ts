/** PATCH /api/connectors/:id: change a connector's fields, or enable/disable it with {enabled}; DELETE: delete one without events (admins) */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { connectorRecordSchema } from "@/lib/connectors/schemas";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { deleteConnector, updateConnector } from "@/lib/organisation/connector-service";
import { connectorPatchSchema, deletedSchema } from "@/lib/organisation/schemas";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const patch = await readJson(req, connectorPatchSchema);
  return NextResponse.json(connectorRecordSchema.parse(await updateConnector(db(), actor, id, patch)));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  return NextResponse.json(deletedSchema.parse(await deleteConnector(db(), actor, id)));
});
