import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { isDuplicateDatabase, isMissingDatabase } from "@/lib/db/errors";

// Applies prisma/migrations/<name>/migration.sql in order and records them in
// _prisma_migrations exactly as Prisma Migrate does, so `prisma migrate status` on a machine
// with the schema engine sees them as applied. See docs/migrations.md.

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
// Any fixed 64-bit key: every runner against the same database takes the same lock.
const ADVISORY_LOCK_KEY = 7_431_902_118;
const STATUS_TIMEOUT_MS = 10_000;

export class MigrationError extends Error {}

export type MigrationFile = { name: string; sql: string; checksum: string };
export type KnownMigration = Pick<MigrationFile, "name" | "checksum">;
export type AppliedMigration = { name: string; checksum: string; finishedAt: Date | null };
export type MigrationStatus = { applied: string[]; pending: string[]; problems: string[] };

export async function readMigrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  // turbopackIgnore: the folder is read at run time; without it the whole project is traced into the build.
  const entries = await readdir(/* turbopackIgnore: true */ dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/* turbopackIgnore: true */ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: sha256(sql) };
    }),
  );
}

/**
 * The migrations' names and checksums, read once per process (and folder): the code that runs
 * expects the migrations it was shipped with, whatever the folder holds later. A failed read is
 * not kept, so the next call tries again.
 */
export function knownMigrations(dir = MIGRATIONS_DIR): Promise<KnownMigration[]> {
  let known = knownByDir.get(dir);
  if (!known) {
    known = readMigrationFiles(dir).then((files) => files.map(({ name, checksum }) => ({ name, checksum })));
    known.catch(() => knownByDir.delete(dir));
    knownByDir.set(dir, known);
  }
  return known;
}

const knownByDir = new Map<string, Promise<KnownMigration[]>>();

/** Compares files with the history table; problems are reasons the runner refuses to go on. */
export function planMigrations(files: readonly KnownMigration[], applied: AppliedMigration[]): MigrationStatus {
  const byName = new Map(applied.map((a) => [a.name, a]));
  const problems: string[] = [];
  const pending: string[] = [];
  for (const file of files) {
    const row = byName.get(file.name);
    if (!row) pending.push(file.name);
    else if (row.finishedAt === null)
      problems.push(`Migration ${file.name} failed earlier and was never finished. Repair the database by hand, then delete its row from _prisma_migrations.`);
    else if (row.checksum !== file.checksum)
      problems.push(`Migration ${file.name} was changed after it was applied (database has checksum ${row.checksum.slice(0, 12)}…, file has ${file.checksum.slice(0, 12)}…). Restore the file and put the change in a new migration.`);
  }
  const known = new Set(files.map((f) => f.name));
  for (const row of applied) {
    if (!known.has(row.name)) problems.push(`Migration ${row.name} is applied in the database but missing from prisma/migrations.`);
  }
  return { applied: applied.filter((a) => a.finishedAt).map((a) => a.name), pending, problems };
}

/**
 * Read-only, on the caller's pool (which closes a connection that fails mid-query), against the
 * migrations read once (knownMigrations): what the health check asks on every call.
 */
export async function poolMigrationStatus(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = await knownMigrations(dir);
  return planMigrations(files, await readApplied(pool));
}

/** Read-only, on a connection of its own, with the files read now: for tools; gives up after STATUS_TIMEOUT_MS. */
export async function migrationStatus(connectionString: string, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: STATUS_TIMEOUT_MS, query_timeout: STATUS_TIMEOUT_MS });
  await client.connect();
  try {
    return planMigrations(await readMigrationFiles(dir), await readApplied(client));
  } finally {
    await client.end();
  }
}

/**
 * Creates the database named in the URL when its server does not have it yet (as Prisma Migrate
 * does), so DATABASE_URL may name a new database. Returns whether it created one.
 */
export async function ensureDatabase(connectionString: string): Promise<boolean> {
  try {
    const probe = new pg.Client({ connectionString });
    await probe.connect();
    await probe.end();
    return false;
  } catch (error) {
    if (!isMissingDatabase(error)) throw error;
  }
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (error) {
    // Another starter created it in the meantime, which is what we wanted.
    if (isDuplicateDatabase(error)) return false;
    throw error;
  } finally {
    await admin.end();
  }
}

/** Applies pending migrations, each in its own transaction, under an advisory lock. */
export async function migrate(connectionString: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrationFiles(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await ensureHistoryTable(client);
    // Planned after the lock is held: a runner that waited sees what the other one applied.
    const plan = planMigrations(files, await readApplied(client));
    if (plan.problems.length > 0) throw new MigrationError(plan.problems.join("\n"));
    const applied: string[] = [];
    for (const name of plan.pending) {
      const file = files.find((f) => f.name === name)!;
      await applyOne(client, file);
      applied.push(name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
  }
}

async function ensureHistoryTable(client: pg.Client): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
}

async function readApplied(client: pg.ClientBase | pg.Pool): Promise<AppliedMigration[]> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  if (!exists.rows[0]?.t) return [];
  const res = await client.query(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return res.rows.map((r) => ({ name: r.migration_name, checksum: r.checksum, finishedAt: r.finished_at }));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
