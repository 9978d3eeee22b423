import "server-only";
import type pg from "pg";
import { poolOf, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { checkpointFolds } from "@/lib/events/fold-checkpoint";
import { DAY_MS, partitionDay, partitionsToDrop, partitionWindow, retentionHorizon } from "@/lib/events/partitions";

// The retention job (docs/partitioning.md): partitions made ahead, whole day partitions of events
// dropped past EVENT_RETENTION_DAYS (never a DELETE of events), and the rows kept beside the
// events deleted in bounded batches. Runs on the jobs' leader only (lib/jobs).

/** Rows a bounded delete removes per statement: each is short, so ingest never waits long on one. */
export const DELETE_BATCH = 10_000;

export type RetentionOptions = { now?: Date; signal?: AbortSignal; eventDays?: number; hourlyDays?: number };
export type RetentionResult = {
  created: number;
  dropped: string[];
  deleted: { clientIds: number; settledMessages: number; traceMessages: number; hourlyCounts: number; checkpoints: number };
};

/** Creates the day partitions from the retention's horizon to a week ahead that do not exist yet; returns how many. */
export async function ensureEventPartitions(pool: pg.Pool, now: Date, retentionDays = env().EVENT_RETENTION_DAYS): Promise<number> {
  const { first, last } = partitionWindow(now, retentionDays);
  const { rows } = await pool.query<{ made: number }>(`SELECT ensure_event_partitions($1::date, $2::date) AS made`, [first, last]);
  return rows[0]?.made ?? 0;
}

export async function runRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const eventDays = options.eventDays ?? env().EVENT_RETENTION_DAYS;
  const hourlyDays = options.hourlyDays ?? env().HOURLY_RETENTION_DAYS;
  const pool = poolOf(db);
  const horizon = retentionHorizon(now, eventDays);
  const created = await ensureEventPartitions(pool, now, eventDays);
  const dropped = await dropPartitionsBefore(db, horizon, options.signal);
  const bounded = (sql: string, before: Date) => deleteInBatches(pool, sql, before, options.signal);
  const deleted = {
    clientIds: await bounded(`DELETE FROM "EventClientId" WHERE "clientId" IN (
      SELECT "clientId" FROM "EventClientId" WHERE "occurredAt" < $1 LIMIT ${DELETE_BATCH})`, horizon),
    // Rejected messages stay: Fix now's undo names them.
    settledMessages: await bounded(`DELETE FROM "QueuedMessage" WHERE id IN (
      SELECT id FROM "QueuedMessage" WHERE "settledAt" < $1 AND state IN ('DELIVERED', 'EXPIRED', 'FAILED') LIMIT ${DELETE_BATCH})`, horizon),
    // Through the firstAttemptAt index: a first attempt is never later than the last.
    traceMessages: await bounded(`DELETE FROM "TraceMessage" WHERE id IN (
      SELECT id FROM "TraceMessage" WHERE "firstAttemptAt" < $1 AND "lastAttemptAt" < $1 LIMIT ${DELETE_BATCH})`, horizon),
    hourlyCounts: await bounded(`DELETE FROM "EventHourlyCount" WHERE ctid IN (
      SELECT ctid FROM "EventHourlyCount" WHERE hour < $1 LIMIT ${DELETE_BATCH})`, retentionHorizon(now, hourlyDays)),
    // A checkpoint older than every kept event's day is never started from again.
    checkpoints: await bounded(`DELETE FROM "FoldCheckpoint" WHERE ("connectorId", at) IN (
      SELECT "connectorId", at FROM "FoldCheckpoint" WHERE at < $1 LIMIT ${DELETE_BATCH})`, new Date(horizon.getTime() - DAY_MS)),
  };
  return { created, dropped, deleted };
}

/**
 * Drops every day partition whose events are all older than `horizon`, oldest first. Before a
 * drop the fold's state at the partition's end is kept where a replay would need its events
 * (fold-checkpoint.ts). Each partition is detached CONCURRENTLY (ingest goes on meanwhile; it
 * cannot run in a transaction block, hence the pool) and then dropped; a detach left pending by
 * an earlier, interrupted run is finished first.
 */
async function dropPartitionsBefore(db: Db, horizon: Date, signal?: AbortSignal): Promise<string[]> {
  const pool = poolOf(db);
  const { rows } = await pool.query<{ name: string; pending: boolean }>(
    `SELECT c.relname AS name, i.inhdetachpending AS pending FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"DeliveryEvent"'::regclass`,
  );
  const pending = new Set(rows.filter((r) => r.pending).map((r) => r.name));
  const dropped: string[] = [];
  for (const name of partitionsToDrop(rows.map((r) => r.name), horizon)) {
    if (signal?.aborted) break;
    await checkpointFolds(db, new Date(partitionDay(name)!.getTime() + DAY_MS));
    const table = `"${name}"`;
    await pool.query(`ALTER TABLE "DeliveryEvent" DETACH PARTITION ${table} ${pending.has(name) ? "FINALIZE" : "CONCURRENTLY"}`);
    await pool.query(`DROP TABLE ${table}`);
    dropped.push(name);
  }
  return dropped;
}

async function deleteInBatches(pool: pg.Pool, sql: string, before: Date, signal?: AbortSignal): Promise<number> {
  let total = 0;
  while (!signal?.aborted) {
    const { rowCount } = await pool.query(sql, [before.toISOString()]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < DELETE_BATCH) break;
  }
  return total;
}
