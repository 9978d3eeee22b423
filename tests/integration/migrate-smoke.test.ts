import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrationFiles } from "@/lib/db/migrate";
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

type Run = { code: number; stdout: string; stderr: string };

async function runMigrate(databaseUrl: string): Promise<Run> {
  const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ["scripts/migrate.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
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
