import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { checkHealth } from "@/lib/db/health";
import { readMigrationFiles } from "@/lib/db/migrate";
import { setEnv } from "@/lib/env";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let migrated: TestDatabase;
let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
let migrationCount: number;

beforeAll(async () => {
  [migrated, empty, migrationCount] = await Promise.all([
    createTestDatabase(1),
    createEmptyDatabase(),
    readMigrationFiles().then((files) => files.length),
  ]);
});
afterAll(async () => {
  await migrated?.drop();
  await empty?.drop();
});

describe("health check", () => {
  it("is ok on a migrated database", async () => {
    expect(await checkHealth(migrated.url)).toEqual({
      status: "ok", database: "reachable", migrations: { applied: migrationCount, pending: [] },
    });
  });

  it("lists the pending migrations of a database that was never migrated", async () => {
    const health = await checkHealth(empty.url);
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
      const health = await checkHealth(migrated.url);
      expect(health.status === "error" && health.reason).toContain("29991231000000_unknown is applied in the database but missing from prisma/migrations");
    } finally {
      await migrated.db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE migration_name = '29991231000000_unknown'`);
    }
  });

  it("reports an unreachable database", async () => {
    const health = await checkHealth("postgres://postgres@127.0.0.1:1/nowhere");
    expect(health).toMatchObject({ status: "error", database: "unreachable" });
    expect(health.status === "error" && health.reason).toMatch(/^The database is unreachable: .*ECONNREFUSED/);
  });

  it("reports a missing configuration", async () => {
    expect(await checkHealth(undefined)).toMatchObject({ status: "error", database: "not configured" });
  });
});

describe("GET /api/health", () => {
  it("answers 200 on a healthy database and 503 with a reason otherwise", async () => {
    setEnv("DATABASE_URL", migrated.url);
    const ok = await GET(new Request("http://localhost/api/health"), undefined);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toEqual({ status: "ok", database: "reachable", migrations: { applied: migrationCount, pending: [] } });

    setEnv("DATABASE_URL", empty.url);
    const pending = await GET(new Request("http://localhost/api/health"), undefined);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toMatchObject({ status: "error", reason: expect.stringContaining("not applied yet") });
  });
});
