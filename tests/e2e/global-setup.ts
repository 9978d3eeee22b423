import pg from "pg";

// Runs after Playwright has started the web server (see playwright.config.ts), which created
// the run's database through npm start. Returns the teardown that drops that database.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const name = process.env.E2E_DATABASE_NAME;
  return async () => {
    if (!name) return;
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" });
    await client.connect();
    try {
      // FORCE: the web server is still connected; it is stopped right after this.
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
