/** POST /api/alerts/:id/fix-now/undo: restore the connector and domains Fix now changed */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { fixNowViewSchema } from "@/lib/remediation/schemas";
import { undoFixNow } from "@/lib/remediation/service";

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const view = await undoFixNow(db(), { alertId: id, actor });
  return NextResponse.json(fixNowViewSchema.parse(view));
});
