/** GET /api/domains: accepted domains with their type, relaying connector and audited changes; POST: add one (admins) */
import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { readFor } from "@/lib/db/reader";
import { listDomains } from "@/lib/domains/queries";
import { domainListSchema } from "@/lib/domains/schemas";
import { actingUser } from "@/lib/auth/actor";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";
import { createDomain } from "@/lib/organisation/domain-service";
import { createDomainBodySchema, domainSchema } from "@/lib/organisation/schemas";

export const GET = route(async (req) => {
  await actingUser(req);
  return NextResponse.json(domainListSchema.parse(await readFor(req, listDomains)));
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const fields = await readJson(req, createDomainBodySchema);
  return NextResponse.json(domainSchema.parse(await createDomain(db(), actor, fields)), { status: 201 });
});
