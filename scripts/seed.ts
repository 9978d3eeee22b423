/** npm run db:seed: replace all data with the demo organisation and a fresh day of events */
import { withScriptDatabase } from "@/lib/db/script-database";
import { reseedDemo } from "@/lib/demo/seed";

// DATABASE_URL when set; otherwise the embedded database (the running app's server, if one runs).
async function main(): Promise<void> {
  await withScriptDatabase(async (client) => {
    const started = performance.now();
    const counts = await reseedDemo(client);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Demo data loaded in ${seconds} s: ${counts.connectors} connectors, ${counts.domains} domains, ` +
        `${counts.events} events, ${counts.alerts} alerts, ${counts.queuedMessages} messages queued.`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
