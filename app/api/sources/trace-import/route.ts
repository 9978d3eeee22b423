/** POST /api/sources/trace-import: an Exchange message trace export or tracking log as multipart/form-data ("file"), answered with the import's summary (admins) */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { traceImportSummarySchema } from "@/lib/sources/exchange-trace/schemas";
import { importTraceUpload } from "@/lib/sources/exchange-trace/upload";

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  // Before the upload is read: a file is not worth reading for someone who may not import.
  requireRole(actor, "manage");
  return NextResponse.json(traceImportSummarySchema.parse(await importTraceUpload(db(), req)), { status: 201 });
});
