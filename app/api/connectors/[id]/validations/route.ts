/** POST /api/connectors/:id/validations: validate a connector, its steps streamed as NDJSON (operators, admins); GET: its validations, newest first */
import { NextResponse } from "next/server";
import { idParamSchema } from "@/lib/alerts/schemas";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { readOptionalJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { ndjsonResponse } from "@/lib/http/ndjson-response";
import { parseSearchParams } from "@/lib/http/search-params";
import { prepareManualValidation, validationHistory } from "@/lib/probe/manual";
import { validationRequestSchema, validationsQuerySchema, type ValidationLine } from "@/lib/probe/schemas";

type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await actingUser(req);
  // The role before the body: a viewer's request is refused unread.
  requireRole(actor, "remediate");
  const { id } = idParamSchema.parse(await params);
  const { recipient } = await readOptionalJson(req, validationRequestSchema);
  const run = await prepareManualValidation(db(), id, actor, recipient);
  return ndjsonResponse<ValidationLine>(run, (message) => ({ type: "error", message }), new URL(req.url).pathname);
});

export const GET = route<Ctx>(async (req, { params }) => {
  await actingUser(req);
  const { id } = idParamSchema.parse(await params);
  const query = parseSearchParams(req, validationsQuerySchema);
  return NextResponse.json(await readFor(req, (reader) => validationHistory(reader, id, query)));
});
