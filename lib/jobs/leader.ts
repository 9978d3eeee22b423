import "server-only";
import pg from "pg";

// Leadership is a session-level Postgres advisory lock held on a connection of its own: not one
// from the app's pool, which would go back to the pool (lock and all) after the query. While that
// session lives the lock is ours; when the process dies or the connection breaks, Postgres ends
// the session and frees the lock, and another instance's next try takes it.

/** The one lock all instances on a database compete for (distinct from the other advisory keys in lib/). */
export const JOBS_LOCK_KEY = 7_440_118_205;

export type Leadership = {
  /** Whether the session (and so the lock) is still ours: a round trip on the dedicated connection. */
  alive: () => Promise<boolean>;
  /** Frees the lock and closes the connection; safe to call twice or after the connection broke. */
  release: () => Promise<void>;
};

export type LeaderOptions = {
  connectionString: string;
  key?: number;
  /** Bounds the connect and every query on the dedicated connection, so a dead network cannot hang a tick. */
  timeoutMs: number;
  /** Called once when the connection breaks while leading (not after release). */
  onLost: (error: Error) => void;
};

/** Takes the lock when it is free; null when another session holds it. Throws when the database cannot be reached. */
export async function tryLead(options: LeaderOptions): Promise<Leadership | null> {
  const key = String(options.key ?? JOBS_LOCK_KEY);
  const client = new pg.Client({
    connectionString: options.connectionString,
    application_name: "mailflow-jobs",
    keepAlive: true,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
  });
  let released = false;
  let lost = false;
  const lose = (error: Error) => {
    if (released || lost) return;
    lost = true;
    options.onLost(error);
  };
  // Without a listener a broken idle connection would crash the process.
  client.on("error", (error) => lose(error));
  client.on("end", () => lose(new Error("the leader's database connection ended")));
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
    if (rows[0]?.locked) return leadership(client, key, () => lost, () => { released = true; });
  } catch (error) {
    released = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  released = true;
  await client.end().catch(() => undefined);
  return null;
}

function leadership(client: pg.Client, key: string, isLost: () => boolean, markReleased: () => void): Leadership {
  return {
    alive: async () => {
      if (isLost()) return false;
      try {
        await client.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    release: async () => {
      markReleased();
      // Ending the session frees the lock anyway; the explicit unlock only makes it immediate on
      // servers that notice a closed socket late.
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
