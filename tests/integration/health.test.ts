import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/health/route";
import { closeCachedDb, closeDb, createDb, db, poolOf, type Db } from "@/lib/db/client";
import { checkHealth } from "@/lib/db/health";
import { readMigrationFiles } from "@/lib/db/migrate";
import { setEnv } from "@/lib/env";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Counts the migration files read, to prove the health check reads them once per process.
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock("node:fs/promises", async (original) => {
  const fs = await original<typeof import("node:fs/promises")>();
  const readFile = ((...args: Parameters<typeof fs.readFile>) => {
    reads.count++;
    return fs.readFile(...args);
  }) as typeof fs.readFile;
  return { ...fs, default: { ...fs, readFile }, readFile };
});

let migrated: TestDatabase;
let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
let emptyDb: Db;
let migrationCount: number;

beforeAll(async () => {
  [migrated, empty, migrationCount] = await Promise.all([
    createTestDatabase(1),
    createEmptyDatabase(),
    readMigrationFiles().then((files) => files.length),
  ]);
  emptyDb = createDb(empty.url, 1);
});
afterAll(async () => {
  await migrated?.drop();
  if (emptyDb) await closeDb(emptyDb);
  await empty?.drop();
});

describe("health check", () => {
  it("is ok on a migrated database", async () => {
    expect(await checkHealth(migrated.db)).toEqual({
      status: "ok", database: "reachable", migrations: { applied: migrationCount, pending: [] },
    });
  });

  it("lists the pending migrations of a database that was never migrated", async () => {
    const health = await checkHealth(emptyDb);
    expect(health).toMatchObject({ status: "error", database: "reachable", migrations: { applied: 0 } });
    expect(health.migrations?.pending).toHaveLength(migrationCount);
    expect(health.status === "error" && health.reason).toMatch(/migration\(s\) not applied yet: .*Run npm run db:migrate/);
  });

  it("reports a migration history it cannot accept", async () => {
    await migrated.db.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ('00000000-0000-0000-0000-000000000000', 'x', '29991231000000_unknown', now(), 1)`,
    );
    try {
      const health = await checkHealth(migrated.db);
      expect(health.status === "error" && health.reason).toContain("29991231000000_unknown is applied in the database but missing from prisma/migrations");
    } finally {
      await migrated.db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE migration_name = '29991231000000_unknown'`);
    }
  });

  it("reports an unreachable database", async () => {
    const nowhere = createDb("postgres://postgres@127.0.0.1:1/nowhere", 1);
    try {
      const health = await checkHealth(nowhere);
      expect(health).toMatchObject({ status: "error", database: "unreachable" });
      expect(health.status === "error" && health.reason).toMatch(/^The database is unreachable: .*ECONNREFUSED/);
    } finally {
      await closeDb(nowhere);
    }
  });

  it("reports a missing configuration", async () => {
    expect(await checkHealth(undefined)).toMatchObject({ status: "error", database: "not configured" });
  });
});

describe("GET /api/health", () => {
  it("answers 200 on a healthy database and 503 with a reason otherwise", async () => {
    setEnv("DATABASE_URL", migrated.url);
    await closeCachedDb();
    const ok = await GET(new Request("http://localhost/api/health"), undefined);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toEqual({ status: "ok", database: "reachable", migrations: { applied: migrationCount, pending: [] } });

    setEnv("DATABASE_URL", empty.url);
    await closeCachedDb();
    const pending = await GET(new Request("http://localhost/api/health"), undefined);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toMatchObject({ status: "error", reason: expect.stringContaining("not applied yet") });
  });
});

describe("GET /api/health under load", () => {
  const health = () => GET(new Request("http://localhost/api/health"), undefined);

  it("answers many concurrent calls on the app's pool, opening no connection beyond it", async () => {
    setEnv("DATABASE_URL", migrated.url);
    const poolMax = process.env.DB_POOL_MAX;
    setEnv("DB_POOL_MAX", "2");
    await closeCachedDb();
    const connect = vi.spyOn(pg.Client.prototype, "connect");
    try {
      // Forty load-balancer probes at once: the old check opened forty connections of its own.
      const answers = await Promise.all(Array.from({ length: 40 }, health));
      expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 200));
      expect(connect.mock.calls.length).toBeLessThanOrEqual(2);
      expect(poolOf(db()).totalCount).toBeLessThanOrEqual(2);
    } finally {
      connect.mockRestore();
      if (poolMax === undefined) delete process.env.DB_POOL_MAX;
      else setEnv("DB_POOL_MAX", poolMax);
      await closeCachedDb();
    }
  });

  it("reads the migration files once per process", async () => {
    setEnv("DATABASE_URL", migrated.url);
    expect((await health()).status).toBe(200);
    const before = reads.count;
    await Promise.all([health(), health()]);
    expect((await health()).status).toBe(200);
    expect(reads.count).toBe(before);
  });
});
