/** npm run db:seed: replace all data with the demo organisation and a fresh day of events */
import { createDb } from "@/lib/db/client";
import { openDatabase } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrate";
import { reseedDemo } from "@/lib/demo/seed";
import { env } from "@/lib/env";

// DATABASE_URL when set; otherwise the embedded database (stop `npm start` first: it holds it).
async function main(): Promise<void> {
  const database = await openDatabase();
  const client = createDb(database.url, env().DB_POOL_MAX);
  try {
    if (!database.embedded) await ensureDatabase(database.url);
    await migrate(database.url);
    const started = performance.now();
    const counts = await reseedDemo(client);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Demo data loaded in ${seconds} s: ${counts.connectors} connectors, ${counts.domains} domains, ` +
        `${counts.events} events, ${counts.alerts} alerts, ${counts.queuedMessages} messages queued.`,
    );
  } finally {
    await client.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
