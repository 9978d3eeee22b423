import "server-only";
import type { Db } from "@/lib/db/client";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { auditJson, SYSTEM_ACTOR, writeAudit } from "@/lib/audit/write";
import { notFound } from "@/lib/http/errors";
import { fieldsBefore, planAlertAction } from "@/lib/alerts/action-rules";
import { snoozeWake, wakeAudit, WOKEN } from "@/lib/alerts/snooze";
import type { AlertActionBody, AlertActionResult } from "@/lib/alerts/action-schemas";

// Acknowledge, dismiss, snooze and unsnooze: each under a row lock on the alert, so two admins
// acting at once are applied one after the other and the second sees the first's result.

const RESULT_FIELDS = {
  id: true,
  status: true,
  acknowledgedBy: true,
  acknowledgedAt: true,
  dismissedBy: true,
  dismissedReason: true,
  snoozedUntil: true,
  snoozedQueued: true,
} as const;

export async function performAlertAction(
  db: Db,
  input: Readonly<{ alertId: number; actor: Actor; action: AlertActionBody; now?: Date }>,
): Promise<AlertActionResult> {
  requireRole(input.actor, "remediate");
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Alert" WHERE id = ${input.alertId} FOR UPDATE`;
    const alert = await tx.alert.findUnique({ where: { id: input.alertId } });
    if (!alert) throw notFound("The alert");
    const changes = planAlertAction(alert, input.action, input.actor.name, now);
    const updated = await tx.alert.update({ where: { id: alert.id }, data: changes, select: RESULT_FIELDS });
    await writeAudit(
      tx,
      input.actor,
      [
        {
          action: `alert.${input.action.action}`,
          targetType: "alert",
          targetId: alert.id,
          before: auditJson(fieldsBefore(alert, changes)),
          after: auditJson(changes),
          note: input.action.action === "dismiss" ? input.action.reason : undefined,
        },
      ],
      now,
    );
    return {
      ...updated,
      acknowledgedAt: updated.acknowledgedAt?.toISOString() ?? null,
      snoozedUntil: updated.snoozedUntil?.toISOString() ?? null,
    };
  });
}

/**
 * Wakes snoozed alerts by the snooze rule of lib/alerts/snooze.ts, for those whose snooze ended
 * while no event touched their connector (ingest wakes the others as it folds): they become
 * ACTIVE with the snooze cleared, audited as the system with why. The SQL only narrows the rows
 * locked to those the rule may wake; snoozeWake decides. Returns how many woke.
 */
export async function wakeSnoozedAlerts(db: Db, now: Date = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const snoozed = await tx.$queryRaw<{ id: number; status: string; snoozedUntil: Date | null; snoozedQueued: number | null; queuedCount: number }[]>`
      SELECT id, status::text AS status, "snoozedUntil", "snoozedQueued", "queuedCount" FROM "Alert"
      WHERE status = 'SNOOZED' AND ("snoozedUntil" IS NULL OR "snoozedUntil" <= ${now} OR "queuedCount" > "snoozedQueued")
      ORDER BY id FOR UPDATE`;
    const woken = snoozed.flatMap((a) => {
      const why = snoozeWake(a, now);
      return why ? [wakeAudit(a.id, a, why)] : [];
    });
    if (woken.length === 0) return 0;
    await tx.alert.updateMany({ where: { id: { in: woken.map((w) => Number(w.targetId)) } }, data: { ...WOKEN, updatedAt: now } });
    await writeAudit(tx, SYSTEM_ACTOR, woken, now);
    return woken.length;
  });
}
