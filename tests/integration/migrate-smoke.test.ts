import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrationFiles } from "@/lib/db/migrate";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { runScriptToEnd, type ScriptRun } from "@/tests/helpers/run-script";
import { createTestDatabase, TEST_SERVER_URL, withDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t?.drop(); });

it("migrates a fresh database and the Prisma client can use it", async () => {
  const c = await t.db.connector.create({ data: { name: "x", kind: "PARTNER", smartHosts: [], recipientDomains: [] } });
  expect(c.id).toBeGreaterThan(0);
});

describe("npm run db:migrate", () => {
  const name = `mf_test_cli_${randomBytes(4).toString("hex")}`;
  const url = withDatabase(TEST_SERVER_URL, name);
  afterAll(() => admin(TEST_SERVER_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it("creates the database, applies every migration, then finds nothing to do", async () => {
    const files = await readMigrationFiles();

    const first = await runMigrate(url);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Created database ${name}.`);
    expect(first.stdout).toContain(`Applied ${files.length} migration(s):`);
    for (const file of files) expect(first.stdout).toContain(file.name);

    const second = await runMigrate(url);
    expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining("The database is up to date: no migration to apply.") });
  });

  it("exits 1 with a clear message when an applied migration no longer matches its file", async () => {
    await admin(url, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);

    const run = await runMigrate(url);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Migrations refused; nothing more was applied.");
    expect(run.stderr).toMatch(/was changed after it was applied .*Restore the file and put the change in a new migration/);
  });
});

describe("npm run ingest", () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), "mf-ingest-")); });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("loads a file through the API's ingest: bad lines, duplicates and unknown connectors reported by their line", async () => {
    const { id: connector } = await createConnector(t.db, { name: "File relay" });
    const lines = [
      JSON.stringify(buildEvent({ id: "file-1", connector: "File relay" })),
      "{not json",
      JSON.stringify(buildEvent({ id: "file-1", connector })),
      JSON.stringify(buildEvent({ id: "file-2", connector: "No such connector" })),
      JSON.stringify(buildEvent({ id: "file-3", connector, status: "delivered" })),
    ];
    const file = path.join(dir, "events.ndjson");
    await writeFile(file, `${lines.join("\n")}\n`);

    const run = await runScriptToEnd("scripts/ingest.ts", [file], { ...process.env, DATABASE_URL: t.url });

    expect(run.code).toBe(2);
    expect(run.stdout).toContain("accepted 2, duplicates 1, rejected 2");
    expect(run.stdout).toContain("event 1: (line) is not valid JSON");
    expect(run.stdout).toContain('event 3: connector no connector has the id or name "No such connector"');
    const stored = await t.db.deliveryEvent.findMany({ where: { connectorId: connector }, orderBy: { clientId: "asc" } });
    expect(stored.map((e) => [e.clientId, e.source])).toEqual([["file-1", "file"], ["file-3", "file"]]);
  });
});

function runMigrate(databaseUrl: string): Promise<ScriptRun> {
  return runScriptToEnd("scripts/migrate.ts", [], { ...process.env, DATABASE_URL: databaseUrl });
}

async function admin(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
