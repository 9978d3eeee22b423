import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { writeAudit } from "@/lib/audit/write";
import { hashPassword } from "@/lib/auth/password";
import { requireRole, type Actor, type Role } from "@/lib/auth/roles";
import type { CreateUserBody, UserView } from "@/lib/auth/schemas";
import { conflict, notFound } from "@/lib/http/errors";

// Users as better-auth stores them: a User row and a "credential" Account row holding the
// argon2id hash. Sign-up is off, so users are made here (createUser): by admins (API), the CLI or
// first start, always audited.
const USER_FIELDS = { id: true, email: true, name: true, role: true, createdAt: true } as const;

/**
 * Creates a user, their credential account and the audit entry saying who did it, in one
 * transaction: a user nobody audited cannot exist. The API, `npm run user:create` and first start
 * all come here; the latter two act as COMMAND_LINE_ACTOR and FIRST_START_ACTOR.
 */
export async function createUser(db: Db, actor: Actor, input: CreateUserBody): Promise<UserView> {
  requireRole(actor, "manage");
  // Hashed before the transaction opens: argon2id is slow on purpose and need not hold a connection.
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing) throw conflict(`A user with the email ${input.email} already exists.`);
    const user = userView(await tx.user.create({ data: newUserData(input, passwordHash), select: USER_FIELDS }));
    await writeAudit(tx, actor, [{ action: "user.create", targetType: "user", targetId: user.id, after: { email: user.email, name: user.name, role: user.role } }]);
    return user;
  });
}

/** The rows of a new user as better-auth reads them: the User and its "credential" Account with the hash. */
export function newUserData(input: Omit<CreateUserBody, "password">, passwordHash: string): Prisma.UserCreateInput {
  const id = randomBytes(16).toString("hex");
  return {
    id,
    email: input.email,
    name: input.name,
    role: input.role,
    accounts: { create: { id: randomBytes(16).toString("hex"), accountId: id, providerId: "credential", password: passwordHash } },
  };
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
