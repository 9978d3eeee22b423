import "server-only";
import type { Db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { bearerToken, generateToken, hashToken } from "@/lib/auth/token-format";
import type { TokenView } from "@/lib/auth/schemas";
import { AppError, conflict, notFound } from "@/lib/http/errors";

// Ingest tokens: admins create and revoke them (audited); POST /api/events authenticates with one.
type TokenRow = {
  id: number; name: string; prefix: string; createdBy: string; createdAt: Date;
  lastUsedAt: Date | null; revokedAt: Date | null; revokedBy: string | null;
};

export async function createApiToken(db: Db, actor: Actor, name: string): Promise<{ token: string; record: TokenView }> {
  requireRole(actor, "manage");
  const { token, prefix, hash } = generateToken();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({ data: { name, prefix, tokenHash: hash, createdBy: actor.name } });
    await writeAudit(tx, actor, [{ action: "token.create", targetType: "token", targetId: created.id, after: { name, prefix } }]);
    return created;
  });
  return { token, record: tokenView(row) };
}

export async function listApiTokens(db: Db, actor: Actor): Promise<TokenView[]> {
  requireRole(actor, "manage");
  const rows = await db.apiToken.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }] });
  return rows.map(tokenView);
}

export async function revokeApiToken(db: Db, actor: Actor, id: number, now = new Date()): Promise<TokenView> {
  requireRole(actor, "manage");
  return db.$transaction(async (tx) => {
    const current = await tx.apiToken.findUnique({ where: { id } });
    if (!current) throw notFound("The token");
    if (current.revokedAt) throw conflict(`The token "${current.name}" was already revoked by ${current.revokedBy ?? "someone"}.`);
    // The condition makes two concurrent revokes record one.
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedBy: actor.name } });
    if (count === 0) throw conflict(`The token "${current.name}" was already revoked.`);
    await writeAudit(tx, actor, [{ action: "token.revoke", targetType: "token", targetId: id, before: { name: current.name, revoked: false }, after: { name: current.name, revoked: true } }], now);
    return tokenView({ ...current, revokedAt: now, revokedBy: actor.name });
  });
}

/**
 * Checks an `Authorization: Bearer …` header against the live tokens and records the use.
 * Throws a 401 AppError for a missing, malformed, unknown or revoked token.
 */
export async function authenticateIngest(db: Db, authorization: string | null, now = new Date()): Promise<{ id: number; name: string }> {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized("Send an ingest token as `Authorization: Bearer <token>`; an admin creates one under Settings → API tokens.");
  const [row] = await db.apiToken.updateManyAndReturn({
    where: { tokenHash: hashToken(token), revokedAt: null },
    data: { lastUsedAt: now },
    select: { id: true, name: true },
  });
  if (!row) throw unauthorized("The ingest token is not valid or has been revoked.");
  return row;
}

function unauthorized(message: string): AppError {
  return new AppError({ code: "unauthorized", status: 401, message });
}

function tokenView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
  };
}
