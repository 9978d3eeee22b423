import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { TRANSACTION_OPTIONS } from "@/lib/db/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;

/**
 * Runs a read on the database that should answer it: readFor / readForPage (lib/db/reader.ts)
 * pick the replica or the primary per request. Lib functions that read and write take one beside
 * the Db for their writes, so a read can go to the replica while its write stays on the primary.
 */
export type Reader = <T>(work: (db: Db) => Promise<T>) => Promise<T>;

/** A Reader on one client, reading where the writes go: for callers without a request to route by (tests). */
export function readerOf(client: Db): Reader {
  return (work) => work(client);
}

const globalForDb = globalThis as unknown as { mailflowDb?: PrismaClient; mailflowReadDb?: PrismaClient };
// On the client object under a registered symbol, not in a module-level map: Next may bundle this
// module more than once, and every copy must find the pool of a client another copy made.
const POOL = Symbol.for("mailflow.db.pool");

// A replica that cannot be reached must hand its reads to the primary quickly, not after the
// operating system's connect timeout.
const REPLICA_CONNECT_TIMEOUT_MS = 2_000;

export function createDb(connectionString: string, max = env().DB_POOL_MAX, connectionTimeoutMillis?: number): PrismaClient {
  // One pool per client, shared by Prisma and the raw-SQL hot path (poolOf), so pool limits hold.
  // allowExitOnIdle: scripts end once their work is done, with or without $disconnect.
  const pool = new pg.Pool({ connectionString, max, allowExitOnIdle: true, connectionTimeoutMillis });
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

/**
 * The client for the dashboard's reads: the streaming replica named by DATABASE_READ_URL, with
 * the primary's pool settings; db() when it is unset. Route reads through lib/db/reader.ts, which
 * sends a read to the primary when the replica is behind its author's write or unreachable.
 */
export function readDb(): PrismaClient {
  const url = env().DATABASE_READ_URL;
  if (!url) return db();
  globalForDb.mailflowReadDb ??= createDb(url, env().DB_POOL_MAX, REPLICA_CONNECT_TIMEOUT_MS);
  return globalForDb.mailflowReadDb;
}

/** Closes the cached clients, if made; the next db() or readDb() makes a new one. */
export async function closeCachedDb(): Promise<void> {
  const clients = [globalForDb.mailflowDb, globalForDb.mailflowReadDb];
  globalForDb.mailflowDb = undefined;
  globalForDb.mailflowReadDb = undefined;
  for (const client of clients) if (client) await closeDb(client);
}
