/** GET /api/alerts/:id/fix-now: what Fix now would change; POST: apply it (409 once applied) */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { readOptionalJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { getFixNowView } from "@/lib/remediation/queries";
import { fixNowBodySchema, fixNowViewSchema } from "@/lib/remediation/schemas";
import { applyFixNow } from "@/lib/remediation/service";

type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (req, { params }) => {
  await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  return NextResponse.json(fixNowViewSchema.parse(await readFor(req, (reader) => getFixNowView(reader, id))));
});

export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const body = await readOptionalJson(req, fixNowBodySchema);
  const view = await applyFixNow(db(), { alertId: id, actor, expectedDomainIds: body.expectedDomainIds });
  return NextResponse.json(fixNowViewSchema.parse(view));
});
