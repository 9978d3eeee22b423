import { randomBytes } from "node:crypto";
import pg from "pg";
import { closeCachedDb, closeDb, createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { resetEnvCache } from "@/lib/env";

// Every integration test file gets a database of its own, made for the run and dropped after,
// on the Postgres server named by TEST_DATABASE_URL (default: the local server).
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = { url: string; name: string; db: Db; drop: () => Promise<void> };

export async function createEmptyDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `mf_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = withDatabase(TEST_SERVER_URL, name);
  return { url, name, drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** A fresh, migrated database with a Prisma client on it. */
export async function createTestDatabase(poolMax = 10): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  await migrate(empty.url);
  const db = createDb(empty.url, poolMax);
  return {
    ...empty,
    db,
    drop: async () => {
      // Route handlers under test use the process's cached client, on this database.
      await closeCachedDb();
      await closeDb(db);
      await empty.drop();
    },
  };
}

/**
 * createTestDatabase for tests of route handlers and services that use the process's cached
 * client: DATABASE_URL points at the new database.
 */
export async function createAppTestDatabase(poolMax?: number): Promise<TestDatabase> {
  const t = await createTestDatabase(poolMax);
  process.env.DATABASE_URL = t.url;
  resetEnvCache();
  return t;
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
