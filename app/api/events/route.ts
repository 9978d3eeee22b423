/** POST /api/events: ingest delivery events (one JSON event, a JSON array, or NDJSON lines); needs a Bearer ingest token */
import { NextResponse } from "next/server";
import { authenticateIngest } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { ingestParsed } from "@/lib/events/ingest";
import { readEventsBody } from "@/lib/events/parse-body";
import { ingestResultSchema } from "@/lib/events/schemas";
import { route } from "@/lib/http/handler";

export const POST = route(async (req) => {
  await authenticateIngest(db(), req.headers.get("authorization"));
  const result = ingestResultSchema.parse(await ingestParsed(db(), await readEventsBody(req)));
  const nothingTaken = result.accepted === 0 && result.duplicates === 0;
  return NextResponse.json(result, { status: nothingTaken ? 422 : 200 });
});
