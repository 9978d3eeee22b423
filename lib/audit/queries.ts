import "server-only";
import { z } from "zod";
import { toAuditView } from "@/lib/alerts/queries";
import type { AuditFilter, AuditPage, AuditQuery } from "@/lib/audit/schemas";
import { can, type Actor, type Permission } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { AppError } from "@/lib/http/errors";

// The audit log, newest first: a range read of the index (at) continued by (at, id) keyset, so a
// deep page costs what the first does. Filters are equalities, so no user text becomes a pattern.

/** Who may read the audit log, and so export it: admins (it names every user and what they did). */
export const AUDIT_PERMISSION: Permission = "manage";

/** Throws a 403 AppError unless the actor may read (and so export) the audit log. */
export function requireAuditReader(actor: Actor): void {
  if (can(actor.role, AUDIT_PERMISSION)) return;
  throw new AppError({
    code: "forbidden",
    status: 403,
    message: `Only admins may read or export the audit log; your role is ${actor.role.toLowerCase()}.`,
  });
}

export type AuditKey = Readonly<{ at: Date; id: bigint }>;
export type AuditRow = Awaited<ReturnType<typeof auditPage>>[number];

export async function listAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
  const cursor = query.cursor ? decodeCursor(query.cursor, keysetSchema) : undefined;
  const rows = await auditPage(db, query, cursor && { at: new Date(cursor.at), id: BigInt(cursor.id) }, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditView),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at.toISOString(), id: last.id.toString() }) : null,
  };
}

/** Up to `take` entries matching the filter, newest first, after `after`. */
export function auditPage(db: Db, filter: AuditFilter, after: AuditKey | undefined, take: number) {
  const where: Prisma.AuditEntryWhereInput = {
    at: { ...(filter.from ? { gte: new Date(filter.from) } : {}), ...(filter.to ? { lt: new Date(filter.to) } : {}) },
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    // `at <= after.at` on its own bounds the index range scan; the OR breaks ties by id.
    ...(after ? { AND: [{ at: { lte: after.at } }, { OR: [{ at: { lt: after.at } }, { id: { lt: after.id } }] }] } : {}),
  };
  return db.auditEntry.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take });
}

const keysetSchema = z.object({ at: z.iso.datetime(), id: z.string().regex(/^\d{1,19}$/) });
