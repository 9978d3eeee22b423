/** POST /api/events: ingest delivery events (one JSON event, a JSON array, or NDJSON lines); needs a Bearer ingest token */
import { NextResponse } from "next/server";
import { authenticateIngest } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { ingestParsed } from "@/lib/events/ingest";
import { mediaTypeOf, parseEventsBody, readLimitedText } from "@/lib/events/parse-body";
import { ingestResultSchema } from "@/lib/events/schemas";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";

export const POST = route(async (req) => {
  await authenticateIngest(db(), req.headers.get("authorization"));
  const kind = mediaTypeOf(req.headers.get("content-type"));
  if (!kind) {
    throw new AppError({ code: "unsupported_media_type", status: 415, message: "Send the events as application/json or application/x-ndjson." });
  }
  const text = await readLimitedText(req.body, req.headers.get("content-length"));
  const result = ingestResultSchema.parse(await ingestParsed(db(), parseEventsBody(text, kind)));
  const nothingTaken = result.accepted === 0 && result.duplicates === 0;
  return NextResponse.json(result, { status: nothingTaken ? 422 : 200 });
});
