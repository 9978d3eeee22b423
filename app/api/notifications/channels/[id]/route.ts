/** PATCH /api/notifications/channels/:id: change a channel (secret left out = kept) (admins); DELETE: remove it */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { channelPatchSchema } from "@/lib/notify/schemas";
import { deleteChannel, updateChannel } from "@/lib/notify/service";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const body = await readJson(req, channelPatchSchema);
  return NextResponse.json(await updateChannel(db(), actor, id, body));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  await deleteChannel(db(), actor, id);
  return new NextResponse(null, { status: 204 });
});
