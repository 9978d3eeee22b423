import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, poolOf } from "@/lib/db/client";
import { isDatabaseUnavailable, isDeadlock, isUniqueViolation, withDeadlockRetry } from "@/lib/db/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// lib/db/errors.ts against the errors Postgres, pg and Prisma's pg adapter really throw.
let t: TestDatabase;
let a: number;
let b: number;

beforeAll(async () => {
  t = await createTestDatabase(4);
  a = (await createConnector(t.db, { name: "A" })).id;
  b = (await createConnector(t.db, { name: "B" })).id;
});
afterAll(async () => { await t?.drop(); });

const duplicateSql = `INSERT INTO "Connector" (name, kind, "updatedAt") VALUES ('A', 'ON_PREMISES', now())`;
const caught = (promise: Promise<unknown>) => promise.then(() => { throw new Error("expected a failure"); }, (error: unknown) => error);
const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
/** Locks one connector row, waits, then the other: two of these in opposite orders deadlock. */
const lockBoth = async (tx: Prisma.TransactionClient, first: number, second: number) => {
  await tx.$executeRawUnsafe(`UPDATE "Connector" SET comment = 'x' WHERE id = $1`, first);
  await pause();
  await tx.$executeRawUnsafe(`UPDATE "Connector" SET comment = 'x' WHERE id = $1`, second);
};

describe("database errors as they are thrown", () => {
  it("name a duplicate and its constraint from Prisma's model calls, raw queries and the pool", async () => {
    const errors = await Promise.all([
      caught(t.db.connector.create({ data: { name: "A", kind: "ON_PREMISES" } })),
      caught(t.db.$transaction((tx) => tx.$executeRawUnsafe(duplicateSql))),
      caught(poolOf(t.db).query(duplicateSql)),
    ]);
    for (const error of errors) {
      expect(isUniqueViolation(error, "Connector_name_key")).toBe(true);
      expect(isUniqueViolation(error, "User_email_key")).toBe(false);
      expect(isDeadlock(error) || isDatabaseUnavailable(error)).toBe(false);
    }
  });

  it("name a deadlock, and withDeadlockRetry runs the aborted transaction again", async () => {
    const plain = await Promise.allSettled([t.db.$transaction((tx) => lockBoth(tx, a, b)), t.db.$transaction((tx) => lockBoth(tx, b, a))]);
    const failures = plain.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(failures).toHaveLength(1);
    expect(isDeadlock(failures[0])).toBe(true);

    let runs = 0;
    const retried = (first: number, second: number) => withDeadlockRetry(t.db, async (tx) => { runs++; await lockBoth(tx, first, second); });
    await Promise.all([retried(a, b), retried(b, a)]);
    expect(runs).toBe(3);
  });

  it("name an unreachable database", async () => {
    const nowhere = createDb("postgres://postgres@127.0.0.1:1/nowhere", 1);
    try {
      const errors = await Promise.all([caught(nowhere.connector.count()), caught(nowhere.$queryRawUnsafe("SELECT 1")), caught(poolOf(nowhere).query("SELECT 1"))]);
      for (const error of errors) expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await closeDb(nowhere);
    }
  });
});
