/** PATCH /api/users/:id: change a user's role (admins; the last admin stays an admin) */
import { NextResponse } from "next/server";
import { actingUser } from "@/lib/auth/actor";
import { updateUserBodySchema, userIdParamSchema, userSchema } from "@/lib/auth/schemas";
import { setUserRole } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/handler";

export const PATCH = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await actingUser(req);
  const { id } = userIdParamSchema.parse(await params);
  const { role } = await readJson(req, updateUserBodySchema);
  return NextResponse.json(userSchema.parse(await setUserRole(db(), actor, id, role)));
});
