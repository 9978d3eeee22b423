/** DELETE /api/notifications/maintenance/:id: remove a maintenance window (admins) */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { deleteWindow } from "@/lib/notify/service";

export const DELETE = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  await deleteWindow(db(), actor, id);
  return new NextResponse(null, { status: 204 });
});
