/** GET /api/notifications/channels: the notification channels, secrets as hints only (admins); POST: add one */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { channelCreateSchema } from "@/lib/notify/schemas";
import { createChannel, listChannels } from "@/lib/notify/service";

export const GET = route(async (req) => {
  requireRole(await actingUser(req), "manage");
  return NextResponse.json({ channels: await readFor(req, listChannels) });
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const body = await readJson(req, channelCreateSchema);
  return NextResponse.json(await createChannel(db(), actor, body), { status: 201 });
});
