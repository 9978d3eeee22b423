/** npm run db:seed: replace all data in DATABASE_URL with the demo organisation and a fresh day of events */
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { reseedDemo } from "@/lib/demo/seed";
import { env } from "@/lib/env";

async function main(): Promise<void> {
  const url = env().DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: start the app with npm start, or set DATABASE_URL to a Postgres database.");
    process.exit(1);
  }
  await migrate(url);
  const started = performance.now();
  const counts = await reseedDemo(db());
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Demo data loaded in ${seconds} s: ${counts.connectors} connectors, ${counts.domains} domains, ` +
      `${counts.events} events, ${counts.alerts} alerts, ${counts.queuedMessages} messages queued.`,
  );
  await db().$disconnect();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
