import "server-only";
import type { Db } from "@/lib/db/client";

// Retention of the notification tables (docs/notifications.md, "Retention"). Deleted once older
// than the retention: outbox rows (AlertTransition) already routed, and notifications in a final
// state (delivered, given up, suppressed). Kept whatever their age: unrouted transitions, pending
// and retrying notifications (work not done), and a delivered notification that names an alert
// still open, because the Alertmanager re-send (lib/notify/resend.ts) finds what to re-send
// through it. Each batch is one short statement of its own, so the job never holds many locks
// or a long transaction beside ingest; rows someone else has locked are skipped until next time.

export type PruneOptions = Readonly<{ retentionDays: number; now?: Date; batchSize?: number; maxBatches?: number; signal?: AbortSignal }>;

export type Pruned = { transitions: number; notifications: number };

const DAY_MS = 86_400_000;

export async function pruneNotificationLog(db: Db, options: PruneOptions): Promise<Pruned> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS);
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 50;
  return {
    transitions: await inBatches(() => db.$executeRawUnsafe(
      `DELETE FROM "AlertTransition" WHERE id IN (
         SELECT id FROM "AlertTransition" WHERE "routedAt" < $1 ORDER BY "routedAt", id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      cutoff, batchSize,
    ), batchSize, maxBatches, options.signal),
    notifications: await inBatches(() => db.$executeRawUnsafe(
      `DELETE FROM "Notification" WHERE id IN (
         SELECT n.id FROM "Notification" n
         WHERE n."createdAt" < $1 AND n.state IN ('DELIVERED', 'GIVEN_UP', 'SUPPRESSED')
           AND NOT (n.state = 'DELIVERED' AND EXISTS (
             SELECT 1 FROM "Alert" a WHERE a.id = ANY(n."alertIds") AND a."resolvedAt" IS NULL AND a.status <> 'DISMISSED'))
         ORDER BY n."createdAt", n.id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      cutoff, batchSize,
    ), batchSize, maxBatches, options.signal),
  };
}

/** Runs `batch` until one deletes less than a full batch, `maxBatches` ran, or the job is told to stop. */
async function inBatches(batch: () => Promise<number>, batchSize: number, maxBatches: number, signal: AbortSignal | undefined): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches && !signal?.aborted; i++) {
    const deleted = await batch();
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}
