import { poolOf, type Db } from "@/lib/db/client";
import { parseLsn } from "@/lib/db/read-routing";

// Steering a streaming replica made by createReplica (throwaway-cluster.ts): wait until it has
// replayed the primary's writes, and pause its replay so it is visibly behind.

/** Waits (bounded) until the replica has replayed everything the primary has written so far. */
export async function replayed(primary: Db, replica: Db, withinMs = 20_000): Promise<void> {
  const { rows } = await poolOf(primary).query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  const lsn = rows[0]?.lsn ?? "";
  const target = parseLsn(lsn);
  if (target === null) throw new Error(`the primary answered no WAL position (${lsn})`);
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      const replayedTo = await poolOf(replica).query<{ lsn: string | null }>("SELECT pg_last_wal_replay_lsn()::text AS lsn");
      const at = parseLsn(replayedTo.rows[0]?.lsn);
      if (at !== null && at >= target) return;
    } catch (error) {
      // A replica just started may refuse connections for a moment.
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${lsn} within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Pauses the replica's replay and waits (bounded) until it has stopped. */
export async function pauseReplay(replica: Db): Promise<void> {
  await poolOf(replica).query("SELECT pg_wal_replay_pause()");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await poolOf(replica).query<{ state: string }>("SELECT pg_get_wal_replay_pause_state() AS state");
    if (rows[0]?.state === "paused") return;
    if (Date.now() > deadline) throw new Error("the replica's replay did not pause within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function resumeReplay(replica: Db): Promise<void> {
  await poolOf(replica).query("SELECT pg_wal_replay_resume()");
}
