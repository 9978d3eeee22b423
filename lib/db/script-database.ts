import "server-only";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { openDatabase } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";

/**
 * For command-line scripts: DATABASE_URL (created if missing) or the embedded database (the
 * running app's, if one runs), migrated, with a Prisma client that is closed, and an embedded
 * database started here stopped, when `work` ends.
 */
export async function withScriptDatabase<T>(work: (client: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ joinRunning: true });
  const client = createDb(database.url, env().DB_POOL_MAX);
  try {
    if (!database.embedded) await ensureDatabase(database.url);
    await migrate(database.url);
    return await work(client);
  } finally {
    await closeDb(client);
    await database.stop();
  }
}
