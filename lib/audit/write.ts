import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/roles";
import type { SqlTx } from "@/lib/db/sql";

export type AuditTargetType =
  "alert" | "connector" | "domain" | "user" | "token" | "import" | "source" | "notification-channel" | "notification-rule" | "maintenance-window" | "export" | "trace";

export type AuditChange = Readonly<{
  action: string;
  targetType: AuditTargetType;
  targetId: string | number;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  note?: string;
}>;

/** The actor of what the product does by itself: the sweep, a wake at ingest. */
export const SYSTEM_ACTOR: Actor = { id: "system", email: "", name: "system", role: "ADMIN" };

/**
 * Writes audit entries inside the caller's transaction, so a change and its record commit
 * together or not at all. All entries of one call share one timestamp. Raw SQL, so both a
 * Prisma transaction and the ingest path's plain pg transaction (SqlTx) can write them.
 */
export async function writeAudit(tx: SqlTx, actor: Actor, changes: readonly AuditChange[], at: Date = new Date()): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((c) => ({
    actor: actor.name,
    action: c.action,
    targetType: c.targetType,
    targetId: String(c.targetId),
    before: c.before ?? null,
    after: c.after ?? null,
    note: c.note ?? null,
  }));
  await tx.$executeRawUnsafe(
    `INSERT INTO "AuditEntry" ("at", "actor", "action", "targetType", "targetId", "before", "after", "note")
     SELECT $1::timestamptz, x.actor, x.action, x."targetType", x."targetId", x.before, x.after, x.note
     FROM json_to_recordset($2::json) AS x(actor text, action text, "targetType" text, "targetId" text, before jsonb, after jsonb, note text)`,
    at.toISOString(),
    JSON.stringify(rows),
  );
}

/** A plain record as audit JSON: dates become ISO strings, undefined fields are left out. */
export function auditJson(value: Readonly<Record<string, unknown>>): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonObject;
}
