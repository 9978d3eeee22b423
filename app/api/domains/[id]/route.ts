/** PATCH /api/domains/:id: change an accepted domain's type or relaying connector; DELETE: remove it (admins) */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { deleteDomain, updateDomain } from "@/lib/organisation/domain-service";
import { deletedSchema, domainPatchSchema, domainSchema } from "@/lib/organisation/schemas";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const patch = await readJson(req, domainPatchSchema);
  return NextResponse.json(domainSchema.parse(await updateDomain(db(), actor, id, patch)));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  return NextResponse.json(deletedSchema.parse(await deleteDomain(db(), actor, id)));
});
