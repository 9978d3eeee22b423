/** GET /api/notifications/rules: which notifications go to which channel (admins); POST: add a rule */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { ruleCreateSchema } from "@/lib/notify/schemas";
import { createRule, listRules } from "@/lib/notify/service";

export const GET = route(async (req) => {
  requireRole(await actingUser(req), "manage");
  return NextResponse.json({ rules: await readFor(req, listRules) });
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const body = await readJson(req, ruleCreateSchema);
  return NextResponse.json(await createRule(db(), actor, body), { status: 201 });
});
