import type { Db } from "@/lib/db/client";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { auditJson, writeAudit } from "@/lib/audit/write";
import { notFound } from "@/lib/http/errors";
import { fieldsBefore, planAlertAction } from "@/lib/alerts/action-rules";
import { snoozeWake } from "@/lib/alerts/snooze";
import type { AlertActionBody, AlertActionResult } from "@/lib/alerts/action-schemas";

// Acknowledge, dismiss, snooze and unsnooze: each under a row lock on the alert, so two admins
// acting at once are applied one after the other and the second sees the first's result.
const SYSTEM_ACTOR: Actor = { id: "system", email: "", name: "system", role: "ADMIN" };

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
 * Persists the snooze rule of lib/alerts/snooze.ts: snoozed alerts whose snooze ended or that
 * got worse (more queued than when snoozed) become ACTIVE again, audited as the system.
 * Call it after changing queued counts; readers may instead apply `effectiveStatus` per row.
 */
export async function wakeSnoozedAlerts(db: Db, now: Date = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const woken = await tx.$queryRaw<{ id: number; snoozedUntil: Date | null; snoozedQueued: number | null; queuedCount: number }[]>`
      UPDATE "Alert" AS a SET status = 'ACTIVE', "snoozedUntil" = NULL, "snoozedQueued" = NULL, "updatedAt" = ${now}
      FROM (SELECT id, "snoozedUntil", "snoozedQueued" FROM "Alert"
            WHERE status = 'SNOOZED' AND ("snoozedUntil" IS NULL OR "snoozedUntil" <= ${now} OR "queuedCount" > "snoozedQueued")
            ORDER BY id FOR UPDATE) AS old
      WHERE a.id = old.id
      RETURNING a.id, old."snoozedUntil", old."snoozedQueued", a."queuedCount"`;
    await writeAudit(
      tx,
      SYSTEM_ACTOR,
      woken.map((w) => ({
        action: "alert.wake",
        targetType: "alert" as const,
        targetId: w.id,
        before: auditJson({ status: "SNOOZED", snoozedUntil: w.snoozedUntil, snoozedQueued: w.snoozedQueued }),
        after: auditJson({ status: "ACTIVE", snoozedUntil: null, snoozedQueued: null }),
        note:
          snoozeWake({ status: "SNOOZED", ...w }, now) === "worse"
            ? `More messages queued (${w.queuedCount}) than when snoozed (${w.snoozedQueued})`
            : "Snooze ended",
      })),
      now,
    );
    return woken.length;
  });
}
