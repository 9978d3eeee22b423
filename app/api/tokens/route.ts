/** GET /api/tokens: ingest tokens (admins); POST: create one, answered once with the token itself */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { createdTokenSchema, createTokenBodySchema, tokenListSchema } from "@/lib/auth/schemas";
import { createApiToken, listApiTokens } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";

export const GET = route(async (req) => {
  const actor = await actingUser(req);
  return NextResponse.json(tokenListSchema.parse({ tokens: await listApiTokens(db(), actor) }));
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const { name } = await readJson(req, createTokenBodySchema);
  const created = createdTokenSchema.parse(await createApiToken(db(), actor, name));
  return NextResponse.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
