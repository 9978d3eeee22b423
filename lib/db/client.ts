import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { TRANSACTION_OPTIONS } from "@/lib/db/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { mailflowDb?: PrismaClient };
// On the client object under a registered symbol, not in a module-level map: Next may bundle this
// module more than once, and every copy must find the pool of a client another copy made.
const POOL = Symbol.for("mailflow.db.pool");

export function createDb(connectionString: string, max = env().DB_POOL_MAX): PrismaClient {
  // One pool per client, shared by Prisma and the raw-SQL hot path (poolOf), so pool limits hold.
  // allowExitOnIdle: scripts end once their work is done, with or without $disconnect.
  const pool = new pg.Pool({ connectionString, max, allowExitOnIdle: true });
  // An idle connection that the server closes (a restart, the embedded database stopping) must
  // not crash the process: pg drops it from the pool, and the next query opens a fresh one.
  pool.on("error", (error) => console.warn(`[db] idle connection closed: ${error.message}`));
  const adapter = new PrismaPg(pool);
  const client = new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
  Object.defineProperty(client, POOL, { value: pool });
  return client;
}

/**
 * Closes a client made by createDb and its pool: Prisma leaves open a pool it was handed, and
 * idle connections left behind are cut (and logged) when the database goes away.
 */
export async function closeDb(client: PrismaClient): Promise<void> {
  await client.$disconnect();
  const pool = poolOf(client);
  if (!pool.ended) await pool.end();
}

/** The pg pool under a client made by createDb. */
export function poolOf(client: PrismaClient): pg.Pool {
  const pool = (client as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  if (!pool) throw new Error("This Prisma client was not made by createDb.");
  return pool;
}

/** The one cached client of this process. */
export function db(): PrismaClient {
  if (!globalForDb.mailflowDb) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one.");
    globalForDb.mailflowDb = createDb(url);
  }
  return globalForDb.mailflowDb;
}

/** Closes the cached client, if one was made; the next db() makes a new one. */
export async function closeCachedDb(): Promise<void> {
  const client = globalForDb.mailflowDb;
  globalForDb.mailflowDb = undefined;
  if (client) await closeDb(client);
}
