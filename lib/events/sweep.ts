import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { env } from "@/lib/env";
import { foldConnectors } from "@/lib/events/fold-connector";
import { thresholds } from "@/lib/events/ingest";
import { lockConnectors } from "@/lib/events/store";

/**
 * Expires messages queued for 24 hours, even when no new event arrives. The fold's clock moves
 * to `now - grace`, so events that arrive later than the grace replay a window (docs/grouping.md).
 */
export async function sweepExpired(db: Db, now: Date): Promise<number> {
  const until = new Date(now.getTime() - env().EXPIRY_SWEEP_GRACE_MINUTES * 60_000);
  const due = await db.$queryRawUnsafe<{ connectorId: number }[]>(
    `SELECT DISTINCT q."connectorId" FROM "QueuedMessage" q JOIN "Connector" c ON c.id = q."connectorId"
     WHERE q.state = 'QUEUED' AND q."expiresAt" <= $1::timestamptz
       AND (c."foldedThrough" IS NULL OR c."foldedThrough" < $1::timestamptz)`,
    until.toISOString(),
  );
  for (const { connectorId } of due) {
    await withSqlTransaction(poolOf(db), async (tx) => {
      const clock = (await lockConnectors(tx, [connectorId], []))[0]?.foldedThrough ?? null;
      if (clock && clock >= until) return;
      await foldConnectors(tx, [{ connectorId, clock, events: [], until }], thresholds());
    });
  }
  return due.length;
}
