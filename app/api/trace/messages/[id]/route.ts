/** GET /api/trace/messages/:id: one traced message's story (every attempt, its queue, alert and Fix now) */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readerFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { traceIdParamSchema, traceStorySchema } from "@/lib/trace/schemas";
import { openTraceStory } from "@/lib/trace/service";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = traceIdParamSchema.parse(await params);
  return NextResponse.json(traceStorySchema.parse(await openTraceStory(readerFor(req), db(), actor, id)));
});
