import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write";
import { hashPassword } from "@/lib/auth/password";
import { requireRole, type Actor, type Role } from "@/lib/auth/roles";
import type { CreateUserBody, UserView } from "@/lib/auth/schemas";
import { conflict, notFound } from "@/lib/http/errors";

// Users as better-auth stores them: a User row and a "credential" Account row holding the
// argon2id hash. Sign-up is off, so users are made here: by admins (API), the CLI or first start.
const USER_FIELDS = { id: true, email: true, name: true, role: true, createdAt: true } as const;

/** Creates a user without a role check: for the CLI and first start, which run as the operator of the machine. */
export async function insertUser(db: Db, input: CreateUserBody): Promise<UserView> {
  const id = randomBytes(16).toString("hex");
  const password = await hashPassword(input.password);
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw conflict(`A user with the email ${input.email} already exists.`);
  const user = await db.user.create({
    data: {
      id,
      email: input.email,
      name: input.name,
      role: input.role,
      accounts: { create: { id: randomBytes(16).toString("hex"), accountId: id, providerId: "credential", password } },
    },
    select: USER_FIELDS,
  });
  return userView(user);
}

export async function createUser(db: Db, actor: Actor, input: CreateUserBody): Promise<UserView> {
  requireRole(actor, "manage");
  const user = await insertUser(db, input);
  await db.$transaction((tx) => writeAudit(tx, actor, [{ action: "user.create", targetType: "user", targetId: user.id, after: { email: user.email, name: user.name, role: user.role } }]));
  return user;
}

export async function listUsers(db: Db, actor: Actor): Promise<UserView[]> {
  requireRole(actor, "manage");
  const users = await db.user.findMany({ select: USER_FIELDS, orderBy: [{ role: "desc" }, { email: "asc" }] });
  return users.map(userView);
}

/** Changes a role; the last admin cannot be demoted (nobody could manage users after). */
export async function setUserRole(db: Db, actor: Actor, id: string, role: Role): Promise<UserView> {
  requireRole(actor, "manage");
  return db.$transaction(async (tx) => {
    // Admin rows are locked so two admins demoting each other at once cannot leave none.
    await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'ADMIN' OR id = ${id} ORDER BY id FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id }, select: USER_FIELDS });
    if (!user) throw notFound("The user");
    if (user.role === role) return userView(user);
    if (user.role === "ADMIN" && (await tx.user.count({ where: { role: "ADMIN" } })) === 1) {
      throw conflict("This is the only admin; make someone else an admin first. Nothing was changed.");
    }
    const updated = await tx.user.update({ where: { id }, data: { role }, select: USER_FIELDS });
    await writeAudit(tx, actor, [{ action: "user.role", targetType: "user", targetId: id, before: { email: user.email, role: user.role }, after: { email: user.email, role } }]);
    return userView(updated);
  });
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

function userView(user: { id: string; email: string; name: string; role: Role; createdAt: Date }): UserView {
  return { ...user, createdAt: user.createdAt.toISOString() };
}
