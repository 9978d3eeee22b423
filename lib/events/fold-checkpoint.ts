import "server-only";
import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { checkpointOf } from "@/lib/events/checkpoint-state";
import { replayStart, replayState, reuseAlertRows } from "@/lib/events/fold-connector";
import { loadAlertsSince, loadEventsSince, lockConnectors, type Tx } from "@/lib/events/store";
import { compareEvents } from "@/lib/grouping/event";
import { foldEvents } from "@/lib/grouping/fold";

// Before the retention drops the events before `at`, the fold's state at `at` is kept for every
// connector whose last quiet point before `at` is older (an alert or a queued message spans it),
// so a replay of a late event never needs a dropped partition (docs/partitioning.md).

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
  const events = (await loadEventsSince(tx, connectorId, start.since)).filter((e) => e.occurredAt < at).sort(compareEvents);
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
