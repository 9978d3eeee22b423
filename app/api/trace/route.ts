/** GET /api/trace: message-trace search (message id, sender, recipient or @domain, status, connector, code, time range), paged by a keyset cursor */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { readerFor } from "@/lib/db/reader";
import { route } from "@/lib/http/handler";
import { searchParamsObject } from "@/lib/http/search-params";
import { traceCursorParamSchema, traceListSchema } from "@/lib/trace/schemas";
import { runTraceSearch, traceSearchOf } from "@/lib/trace/service";

export const GET = route(async (req) => {
  const actor = await actingUser(req);
  const params = searchParamsObject(new URL(req.url).searchParams);
  const search = traceSearchOf(params);
  const cursor = traceCursorParamSchema.parse(params.cursor);
  return NextResponse.json(traceListSchema.parse(await runTraceSearch(readerFor(req), db(), actor, search, cursor)));
});
