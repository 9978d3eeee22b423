import "server-only";
import pg from "pg";

// How many exports one user runs at once, counted across every app instance on the database: a
// slot is a session-level Postgres advisory lock (user, slot number) held on a connection of its
// own for as long as the export streams. Not a connection from the app's pool: that would go back
// to the pool lock and all, and a slow download would hold a connection ingest needs. When the
// process dies or the connection breaks, Postgres ends the session and the slot is free again.

export type ExportSlot = Readonly<{
  slot: number;
  /** Frees the slot; safe to call twice or after the connection broke. */
  release: () => Promise<void>;
}>;

/** Namespaces the first key, so these locks never meet another user of the two-key lock space. */
const KEY_PREFIX = "mailflow-export:";
const TIMEOUT_MS = 10_000;

/** Takes a free slot of the user's `max`; null when all are taken. Throws when the database cannot be reached. */
export async function acquireExportSlot(connectionString: string, userId: string, max: number): Promise<ExportSlot | null> {
  const client = new pg.Client({
    connectionString,
    application_name: "mailflow-export",
    keepAlive: true,
    connectionTimeoutMillis: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS,
  });
  // A broken idle connection must not crash the process; its slot is freed by the server anyway.
  client.on("error", () => undefined);
  try {
    await client.connect();
    for (let slot = 0; slot < max; slot++) {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext($1), $2::int) AS locked",
        [KEY_PREFIX + userId, slot],
      );
      if (rows[0]?.locked) return heldSlot(client, userId, slot);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end().catch(() => undefined);
  return null;
}

function heldSlot(client: pg.Client, userId: string, slot: number): ExportSlot {
  let released = false;
  return {
    slot,
    release: async () => {
      if (released) return;
      released = true;
      // Ending the session frees the lock anyway; the explicit unlock makes it immediate.
      await client.query("SELECT pg_advisory_unlock(hashtext($1), $2::int)", [KEY_PREFIX + userId, slot]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
