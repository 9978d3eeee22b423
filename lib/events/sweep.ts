import "server-only";
import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { env } from "@/lib/env";
import { foldConnectors } from "@/lib/events/fold-connector";
import { thresholds } from "@/lib/events/ingest";
import { lockConnectors } from "@/lib/events/store";
import { recordSweep, secondsSince } from "@/lib/metrics/definitions";

/**
 * Moves the folds of quiet connectors forward when the clock alone changes something: a message
 * queued for 24 hours expires, or an open alert's oldest queued message passes the wait that makes
 * it HIGH. The fold's clock moves to `now - grace`, so events that arrive later than the grace
 * replay a window (docs/grouping.md). Returns how many connectors it moved.
 */
export async function sweepQueues(db: Db, now: Date): Promise<number> {
  const started = performance.now();
  try {
    const moved = await sweepDue(db, now);
    recordSweep("ok", secondsSince(started), moved);
    return moved;
  } catch (error) {
    recordSweep("error", secondsSince(started), 0);
    throw error;
  }
}

async function sweepDue(db: Db, now: Date): Promise<number> {
  const until = new Date(now.getTime() - env().EXPIRY_SWEEP_GRACE_MINUTES * 60_000);
  const waitedSince = new Date(until.getTime() - thresholds().highWaitMs);
  const due = await db.$queryRawUnsafe<{ connectorId: number }[]>(
    `SELECT c.id AS "connectorId" FROM "Connector" c
     WHERE (c."foldedThrough" IS NULL OR c."foldedThrough" < $1::timestamptz)
       AND (EXISTS (SELECT 1 FROM "QueuedMessage" q WHERE q."connectorId" = c.id AND q.state = 'QUEUED' AND q."expiresAt" <= $1::timestamptz)
         OR EXISTS (SELECT 1 FROM "Alert" a WHERE a."connectorId" = c.id AND a."resolvedAt" IS NULL AND a.severity <> 'HIGH'
                      AND a."oldestQueuedAt" <= $2::timestamptz))
     ORDER BY c.id`,
    until.toISOString(),
    waitedSince.toISOString(),
  );
  for (const { connectorId } of due) {
    await withSqlTransaction(poolOf(db), async (tx) => {
      const [connector] = await lockConnectors(tx, [connectorId], []);
      const clock = connector?.foldedThrough ?? null;
      if (!connector || (clock && clock >= until)) return;
      await foldConnectors(tx, [{ connectorId, clock, lifetimeMinutes: connector.queueLifetimeMinutes, events: [], until }], { thresholds: thresholds(), now });
    });
  }
  return due.length;
}
