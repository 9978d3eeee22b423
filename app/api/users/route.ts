/** GET /api/users: users and their roles (admins); POST: create a user with a role and password */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { createUserBodySchema, userListSchema, userSchema } from "@/lib/auth/schemas";
import { createUser, listUsers } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";

export const GET = route(async (req) => {
  const actor = await actingUser(req);
  return NextResponse.json(userListSchema.parse({ users: await listUsers(db(), actor) }));
});

export const POST = route(async (req) => {
  const actor = await actingUser(req);
  const input = await readJson(req, createUserBodySchema);
  return NextResponse.json(userSchema.parse(await createUser(db(), actor, input)), { status: 201 });
});
