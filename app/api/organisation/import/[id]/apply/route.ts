/** POST /api/organisation/import/:id/apply: apply a stored preview with a choice per conflict, { resolutions: { [remediationId]: "keep" | "tenant" } } (admins) */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { applyBodySchema, applyResultSchema, importIdSchema } from "@/lib/organisation/import-schemas";
import { applyImport } from "@/lib/organisation/import-service";

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = importIdSchema.parse(await params);
  const { resolutions } = await readJson(req, applyBodySchema);
  return NextResponse.json(applyResultSchema.parse(await applyImport(db(), actor, id, resolutions)));
});
