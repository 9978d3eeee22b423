/** GET /api/domains: accepted domains with their type, relaying connector and audited changes */
import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { listDomains } from "@/lib/domains/queries";
import { domainListSchema } from "@/lib/domains/schemas";
import { actingUser } from "@/lib/auth/actor";
import { route } from "@/lib/http/handler";

export const GET = route(async (req) => {
  await actingUser(req);
  return NextResponse.json(domainListSchema.parse(await listDomains(db())));
});
