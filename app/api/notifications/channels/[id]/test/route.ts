/** POST /api/notifications/channels/:id/test: Send test, answered with delivered or the reason (redacted) (admins) */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { sendChannelTest } from "@/lib/notify/send-test";

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  return NextResponse.json(await sendChannelTest(db(), actor, id, req.signal));
});
