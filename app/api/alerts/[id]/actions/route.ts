/** POST /api/alerts/:id/actions: acknowledge, dismiss (with a reason), snooze (until a time) or unsnooze */
import { NextResponse } from "next/server";
import { performAlertAction } from "@/lib/alerts/actions";
import { alertActionBodySchema, alertActionResultSchema } from "@/lib/alerts/action-schemas";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const action = await readJson(req, alertActionBodySchema);
  const result = await performAlertAction(db(), { alertId: id, actor, action });
  return NextResponse.json(alertActionResultSchema.parse(result));
});
