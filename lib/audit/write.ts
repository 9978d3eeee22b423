import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/roles";

export type AuditTargetType = "alert" | "connector" | "domain" | "user" | "token";

export type AuditChange = Readonly<{
  action: string;
  targetType: AuditTargetType;
  targetId: string | number;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  note?: string;
}>;

/**
 * Writes audit entries inside the caller's transaction, so a change and its record commit
 * together or not at all. All entries of one call share one timestamp.
 */
export async function writeAudit(
  tx: Prisma.TransactionClient,
  actor: Actor,
  changes: readonly AuditChange[],
  at: Date = new Date(),
): Promise<void> {
  if (changes.length === 0) return;
  await tx.auditEntry.createMany({
    data: changes.map((c) => ({
      at,
      actor: actor.name,
      action: c.action,
      targetType: c.targetType,
      targetId: String(c.targetId),
      before: c.before ?? undefined,
      after: c.after ?? undefined,
      note: c.note,
    })),
  });
}

/** A plain record as audit JSON: dates become ISO strings, undefined fields are left out. */
export function auditJson(value: Readonly<Record<string, unknown>>): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonObject;
}
