import { createHash, randomBytes } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDatabase, MIGRATIONS_DIR, MigrationError, migrate, migrationStatus, readMigrationFiles } from "@/lib/db/migrate";
import { DEMO_CONNECTORS } from "@/lib/demo/organisation";
import { createEmptyDatabase, TEST_SERVER_URL, withDatabase } from "@/tests/helpers/test-db";

type HistoryRow = {
  id: string; checksum: string; migration_name: string; finished_at: Date | null;
  rolled_back_at: Date | null; applied_steps_count: number; logs: string | null;
};

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("migration runner", () => {
  it("applies every migration to a fresh database and records it as Prisma Migrate does", async () => {
    const url = await emptyDatabase();
    const files = await readMigrationFiles();

    const applied = await migrate(url);

    expect(applied).toEqual(files.map((f) => f.name));
    const rows = await history(url);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const sql = files[i]!.sql;
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await migrationStatus(url)).toEqual({ applied: files.map((f) => f.name), pending: [], problems: [] });
  });

  it("does nothing when run again", async () => {
    const url = await emptyDatabase();
    await migrate(url);
    const before = await history(url);

    expect(await migrate(url)).toEqual([]);

    expect(await history(url)).toEqual(before);
  });

  it("marks the demo organisation's connectors of an installation loaded before Connector.demo existed, and no others", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const marking = (await readMigrationFiles(dir)).find((m) => m.name.endsWith("_connector_validation"))!;
    const held = await mkdtemp(path.join(os.tmpdir(), "mf-held-"));
    cleanups.push(() => rm(held, { recursive: true, force: true }));
    await cp(path.join(dir, marking.name), path.join(held, marking.name), { recursive: true });
    await rm(path.join(dir, marking.name), { recursive: true });
    await migrate(url, dir);
    const values = DEMO_CONNECTORS.map((c) => `('${c.name.replace(/'/g, "''")}', 'PARTNER', ARRAY[${c.smartHosts.map((h) => `'${h}'`).join(",")}], now())`);
    await query(url, `INSERT INTO "Connector" (name, kind, "smartHosts", "updatedAt") VALUES ${values.join(", ")},
      ('My own', 'PARTNER', ARRAY['mail.contoso-nordic.se'], now()), ('To Northwind Payroll (mine)', 'PARTNER', ARRAY['mx.northwind-payroll.se'], now())`);
    await cp(path.join(held, marking.name), path.join(dir, marking.name), { recursive: true });
    expect(await migrate(url, dir)).toEqual([marking.name]);
    const rows = await query<{ name: string; demo: boolean }>(url, `SELECT name, demo FROM "Connector" ORDER BY id`);
    expect(rows).toEqual([...DEMO_CONNECTORS.map((c) => ({ name: c.name, demo: true })), { name: "My own", demo: false }, { name: "To Northwind Payroll (mine)", demo: false }]);
  });

  it("refuses to run when an applied migration's file was changed", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const [first] = await readMigrationFiles(dir);
    await migrate(url, dir);

    await appendFile(path.join(dir, first!.name, "migration.sql"), "\n-- an edit after the fact\n");

    const error = await migrate(url, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(new RegExp(`Migration ${first!.name} was changed after it was applied .*Restore the file and put the change in a new migration`));
    expect((await migrationStatus(url, dir)).problems).toHaveLength(1);
  });

  it("applies each migration exactly once when two runners start together", async () => {
    const url = await emptyDatabase();
    const files = await readMigrationFiles();

    const [a, b] = await Promise.all([migrate(url), migrate(url)]);

    // One runner did all the work while the other waited for the lock, then found nothing to do.
    expect([...a, ...b].sort()).toEqual(files.map((f) => f.name));
    const counts = await query<{ migration_name: string; n: number }>(url,
      `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name`);
    expect(counts).toHaveLength(files.length);
    expect(counts.every((c) => c.n === 1)).toBe(true);
  });

  it("rolls back a failing migration, does not record it, and applies it once it is fixed", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const broken = "29991231000000_broken";
    await mkdir(path.join(dir, broken));
    const file = path.join(dir, broken, "migration.sql");
    await writeFile(file, `CREATE TABLE "Probe" ("id" INTEGER);\nSELECT 1 / 0;\n`);

    const error = await migrate(url, dir).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain(`Migration ${broken} failed and was rolled back: division by zero`);
    const [probe] = await query<{ t: string | null }>(url, `SELECT to_regclass('"Probe"')::text AS t`);
    expect(probe!.t).toBeNull();
    const names = (await history(url)).map((r) => r.migration_name);
    expect(names).not.toContain(broken);
    expect(names).toHaveLength((await readMigrationFiles(dir)).length - 1);

    await writeFile(file, `CREATE TABLE "Probe" ("id" INTEGER);\n`);
    expect(await migrate(url, dir)).toEqual([broken]);
  });

  it("refuses to run when the database has a migration the folder does not", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const extra = "29991231000000_from_another_branch";
    await mkdir(path.join(dir, extra));
    await writeFile(path.join(dir, extra, "migration.sql"), "SELECT 1;\n");
    await migrate(url, dir);
    await rm(path.join(dir, extra), { recursive: true });

    await expect(migrate(url, dir)).rejects.toThrow(`Migration ${extra} is applied in the database but missing from prisma/migrations.`);
  });

  it("reports pending migrations without applying them", async () => {
    const url = await emptyDatabase();
    const files = await readMigrationFiles();

    expect(await migrationStatus(url)).toEqual({ applied: [], pending: files.map((f) => f.name), problems: [] });
    expect(await query(url, `SELECT to_regclass('"_prisma_migrations"')::text AS t`)).toEqual([{ t: null }]);
  });

  it("creates the database named in the URL when it does not exist yet", async () => {
    const name = `mf_test_new_${randomBytes(4).toString("hex")}`;
    const url = withDatabase(TEST_SERVER_URL, name);
    cleanups.push(() => query(TEST_SERVER_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    expect((await migrate(url)).length).toBeGreaterThan(0);
  });
});

async function emptyDatabase(): Promise<string> {
  const database = await createEmptyDatabase();
  cleanups.push(database.drop);
  return database.url;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mf-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function history(url: string): Promise<HistoryRow[]> {
  return query<HistoryRow>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}
