/** DELETE /api/tokens/:id: revoke an ingest token (admins); it stays listed as revoked */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { tokenSchema } from "@/lib/auth/schemas";
import { revokeApiToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";

export const DELETE = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  return NextResponse.json(tokenSchema.parse(await revokeApiToken(db(), actor, id)));
});
