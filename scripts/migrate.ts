/** npm run db:migrate: apply pending migrations to DATABASE_URL (or to the embedded database) */
import { openDatabase } from "@/lib/db/embedded";
import { ensureDatabase, MigrationError, migrate } from "@/lib/db/migrate";

async function main(): Promise<void> {
  const database = await openDatabase({ joinRunning: true });
  try {
    if (!database.embedded && (await ensureDatabase(database.url))) console.log(`Created database ${databaseName(database.url)}.`);
    const applied = await migrate(database.url);
    if (applied.length === 0) console.log("The database is up to date: no migration to apply.");
    else console.log(`Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join("\n")}`);
  } finally {
    await database.stop();
  }
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

main().catch((error: unknown) => {
  if (error instanceof MigrationError) console.error(`Migrations refused; nothing more was applied.\n${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
