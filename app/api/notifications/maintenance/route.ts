/** GET /api/notifications/maintenance: maintenance windows, newest first (admins); POST: plan one */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { windowCreateSchema } from "@/lib/notify/schemas";
import { createWindow, listWindows } from "@/lib/notify/service";

export const GET = route(async (req) => {
  requireRole(await actingUser(req), "manage");
  return NextResponse.json({ windows: await readFor(req, listWindows) });
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const body = await readJson(req, windowCreateSchema);
  return NextResponse.json(await createWindow(db(), actor, body), { status: 201 });
});
