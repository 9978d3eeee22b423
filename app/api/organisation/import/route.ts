/** POST /api/organisation/import: Exchange Online's output as multipart/form-data ("files"), answered with the stored preview (admins) */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { requireRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { storedPreviewSchema } from "@/lib/organisation/import-schemas";
import { previewImport } from "@/lib/organisation/import-service";
import { readImportUpload } from "@/lib/organisation/import-upload";

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  // Before the upload is read: up to 20 MB is not worth reading for someone who may not import.
  requireRole(actor, "manage");
  const files = await readImportUpload(req);
  return NextResponse.json(storedPreviewSchema.parse(await previewImport(db(), actor, files)), { status: 201 });
});
