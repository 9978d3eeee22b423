/** GET /api/notifications/log: the notification log, newest first, paged by ?before= (admins) */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { readFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { listNotifications } from "@/lib/notify/log";
import { notificationLogParamsSchema } from "@/lib/notify/schemas";

export const GET = route(async (req) => {
  requireRole(await actingUser(req), "manage");
  const params = notificationLogParamsSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return NextResponse.json(await readFor(req, (reader) => listNotifications(reader, params)));
});
