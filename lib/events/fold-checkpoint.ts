import "server-only";
import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { checkpointOf } from "@/lib/events/checkpoint-state";
import { maxDate, replayStart, replayState, reuseAlertRows } from "@/lib/events/fold-connector";
import { findQuietPoint, loadAlertsSince, loadEventsSince, lockConnectors, type Tx } from "@/lib/events/store";
import { compareEvents } from "@/lib/grouping/event";
import { foldEvents } from "@/lib/grouping/fold";

// The fold's state of a busy connector (an alert or a queued message spans the instant) kept at an
// instant, so a replay of a late event starts there instead of at the connector's last quiet point
// (docs/partitioning.md, docs/memory.md). Two writers:
// - the retention, before it drops the events before `at`, so a replay never needs a dropped partition;
// - the hourly chain (checkpointRecentFolds, job "fold-checkpoints"), so a late event replays at
//   most about an hour of its connector's events, not a whole outage.
// A replay of an event older than a checkpoint drops it (fold-connector.ts replayFrom): it no
// longer holds the state there. The chain writes it again on its next run.

/** The chain's spacing: checkpoints at whole hours. */
export const CHECKPOINT_EVERY_MS = 3_600_000;
/** A boundary is written once the connector's clock is this far past it: events a few minutes late do not undo it. */
export const CHECKPOINT_LAG_MS = 10 * 60_000;
/** The chain reaches back this far: an import of older events replays from its quiet point, slower but the same. */
export const CHECKPOINT_SPAN_MS = 48 * CHECKPOINT_EVERY_MS;

/** Writes the checkpoints at `at` that are needed and missing; returns how many it wrote. */
export async function checkpointFolds(db: Db, at: Date): Promise<number> {
  const connectors = await db.$queryRawUnsafe<{ id: number }[]>(
    // A connector whose clock is before `at` continues from its stored state: it never replays from before `at`.
    `SELECT id FROM "Connector" WHERE "foldedThrough" >= $1::timestamptz ORDER BY id`,
    at.toISOString(),
  );
  let written = 0;
  for (const { id } of connectors) {
    if (await withSqlTransaction(poolOf(db), (tx) => checkpointConnector(tx, id, at))) written += 1;
  }
  return written;
}

/** Under the connector's lock, as ingest folds it: the state at `at`, from the quiet point (or an earlier checkpoint) before it. */
async function checkpointConnector(tx: Tx, connectorId: number, at: Date): Promise<boolean> {
  const [connector] = await lockConnectors(tx, [connectorId], []);
  if (!connector) return false;
  const start = await replayStart(tx, connectorId, at);
  // Quiet at `at`, or a checkpoint there already.
  if (start.since >= at) return false;
  const events = (await loadEventsSince(tx, connectorId, start.since, at)).sort(compareEvents);
  const state = await replayState(tx, connectorId, connector.queueLifetimeMinutes, start, events, at);
  foldEvents(state, events, at);
  // The episodes rebuilt up to `at` are the earliest of the rows since the start: they take those rows' ids.
  reuseAlertRows(await loadAlertsSince(tx, connectorId, start.since), [...state.alerts.values()]);
  await tx.$executeRawUnsafe(
    `INSERT INTO "FoldCheckpoint" ("connectorId", at, state) VALUES ($1, $2::timestamptz, $3::jsonb) ON CONFLICT DO NOTHING`,
    connectorId,
    at.toISOString(),
    JSON.stringify(checkpointOf(state)),
  );
  return true;
}

export type RecentCheckpoints = { written: number; pruned: number };

/**
 * The hourly chain: for every connector busy at its clock, a checkpoint at each whole hour since
 * its last quiet point (at most CHECKPOINT_SPAN_MS back) up to CHECKPOINT_LAG_MS before its clock,
 * oldest first, so each is computed from the one before it (an hour of events). Chain checkpoints
 * older than the span are deleted; the retention's, older than every kept event, stay.
 */
export async function checkpointRecentFolds(db: Db, now: Date, options: { signal?: AbortSignal; retentionHorizon: Date }): Promise<RecentCheckpoints> {
  const spanStart = new Date(now.getTime() - CHECKPOINT_SPAN_MS);
  const connectors = await db.$queryRawUnsafe<{ id: number; clock: Date; latest: Date | null }[]>(
    `SELECT c.id, c."foldedThrough" AS clock, (SELECT max(at) FROM "FoldCheckpoint" f WHERE f."connectorId" = c.id) AS latest
     FROM "Connector" c
     WHERE c."foldedThrough" IS NOT NULL
       AND (EXISTS (SELECT 1 FROM "Alert" a WHERE a."connectorId" = c.id AND a."resolvedAt" IS NULL)
         OR EXISTS (SELECT 1 FROM "QueuedMessage" q WHERE q."connectorId" = c.id AND q.state = 'QUEUED'))
     ORDER BY c.id`,
  );
  let written = 0;
  for (const c of connectors) {
    const until = new Date(c.clock.getTime() - CHECKPOINT_LAG_MS);
    const quiet = await withSqlTransaction(poolOf(db), (tx) => findQuietPoint(tx, c.id, until));
    for (const at of chainBoundaries(maxDate(quiet, spanStart, c.latest)!, until)) {
      if (options.signal?.aborted) return { written, pruned: 0 };
      if (await withSqlTransaction(poolOf(db), (tx) => checkpointConnector(tx, c.id, at))) written += 1;
    }
  }
  const { rowCount } = await poolOf(db).query(
    `DELETE FROM "FoldCheckpoint" WHERE at < $1::timestamptz AND at > $2::timestamptz`,
    [spanStart.toISOString(), options.retentionHorizon.toISOString()],
  );
  return { written, pruned: rowCount ?? 0 };
}

/** Whole hours after `after` up to `until`, oldest first. Pure. */
export function chainBoundaries(after: Date, until: Date): Date[] {
  const out: Date[] = [];
  for (let t = (Math.floor(after.getTime() / CHECKPOINT_EVERY_MS) + 1) * CHECKPOINT_EVERY_MS; t <= until.getTime(); t += CHECKPOINT_EVERY_MS) {
    out.push(new Date(t));
  }
  return out;
}
