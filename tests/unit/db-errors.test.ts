import { describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  DEADLOCK_ATTEMPTS, isDatabaseUnavailable, isDeadlock, isDuplicateDatabase, isMissingDatabase, isRecordNotFound, isUniqueViolation,
  TRANSACTION_OPTIONS, withDeadlockRetry, type Transactional,
} from "@/lib/db/errors";

// The shapes below are the ones Prisma 7 with the pg adapter and pg itself throw (see
// tests/integration/db-errors.test.ts, which makes them on Postgres).
const pgError = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error("pg"), { code, severity: "ERROR", ...extra });
const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error("prisma"), { name: "PrismaClientKnownRequestError", code, meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });

describe("isUniqueViolation", () => {
  const modelDuplicate = prismaError("P2002", { originalCode: "23505", kind: "UniqueConstraintViolation", constraint: { index: "Connector_name_key" } });
  const rawDuplicate = prismaError("P2010", { originalCode: "23505", kind: "UniqueConstraintViolation", constraint: { index: "DeliveryEvent_clientId_key" } });
  const poolDuplicate = pgError("23505", { constraint: "DeliveryEvent_clientId_key" });

  it("knows a duplicate from Prisma's model calls, its raw queries and pg, by constraint when asked", () => {
    for (const error of [modelDuplicate, rawDuplicate, poolDuplicate]) expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(modelDuplicate, "Connector_name_key")).toBe(true);
    expect(isUniqueViolation(rawDuplicate, "DeliveryEvent_clientId_key")).toBe(true);
    expect(isUniqueViolation(poolDuplicate, "DeliveryEvent_clientId_key")).toBe(true);
    expect(isUniqueViolation(poolDuplicate, "Connector_name_key")).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error("P2002 without adapter detail"), { code: "P2002" }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error("P2002 without adapter detail"), { code: "P2002" }), "Connector_name_key")).toBe(false);
  });

  it("finds it in a cause, and is false for other failures and non-errors", () => {
    expect(isUniqueViolation(new Error("wrapped", { cause: poolDuplicate }), "DeliveryEvent_clientId_key")).toBe(true);
    for (const other of [pgError("23503"), prismaError("P2003", { originalCode: "23503" }), new Error("23505"), null, undefined, "23505", 23505]) {
      expect(isUniqueViolation(other)).toBe(false);
    }
  });
});

describe("isDeadlock", () => {
  it("knows Prisma's P2034, a raw query's 40P01, pg's 40P01 and the message", () => {
    expect(isDeadlock(prismaError("P2034", { originalCode: "40P01", kind: "TransactionWriteConflict" }))).toBe(true);
    expect(isDeadlock(prismaError("P2010", { originalCode: "40P01", kind: "TransactionWriteConflict" }))).toBe(true);
    expect(isDeadlock(pgError("40P01"))).toBe(true);
    expect(isDeadlock(new Error("outer", { cause: new Error("ERROR: deadlock detected") }))).toBe(true);
    expect(isDeadlock(pgError("23505"))).toBe(false);
    expect(isDeadlock(null)).toBe(false);
  });
});

describe("the other named failures", () => {
  it("know a missing row, a missing database and one that exists already", () => {
    expect(isRecordNotFound(Object.assign(new Error("No record was found"), { code: "P2025" }))).toBe(true);
    expect(isRecordNotFound(pgError("23505"))).toBe(false);
    expect(isMissingDatabase(pgError("3D000"))).toBe(true);
    expect(isMissingDatabase(pgError("42P04"))).toBe(false);
    expect(isDuplicateDatabase(pgError("42P04"))).toBe(true);
    expect(isDuplicateDatabase(null)).toBe(false);
  });
});

describe("isDatabaseUnavailable", () => {
  it("knows a lost or refused connection in every shape", () => {
    const unavailable = [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      pgError("57P01"),
      Object.assign(new Error("Can't reach database server at 127.0.0.1:1"), { code: "P1001" }),
      prismaError("P2010", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }),
      prismaError("P2010", { kind: "ConnectionClosed" }),
      prismaError("P2010", { kind: "postgres", code: "57P01" }),
      Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" }),
      new Error("query failed", { cause: new Error("Connection terminated unexpectedly") }),
    ];
    for (const error of unavailable) expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it("is false for errors of the request itself", () => {
    for (const error of [pgError("23505"), pgError("22P02"), prismaError("P2002", { originalCode: "23505" }), new Error("boom"), null]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });

  it("stops at a cause cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe("withDeadlockRetry", () => {
  /** A client whose transactions fail with the given errors first, then return `value`. */
  function failingFirst(errors: unknown[], value = "done") {
    const options: unknown[] = [];
    const client: Transactional = {
      async $transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>, passed?: typeof TRANSACTION_OPTIONS): Promise<T> {
        options.push(passed);
        const error = errors.shift();
        if (error) throw error;
        return work({} as Prisma.TransactionClient);
      },
    };
    return { client, options, work: async () => value };
  }

  it("runs a transaction again after a deadlock, with the shared options", async () => {
    const { client, options, work } = failingFirst([pgError("40P01"), prismaError("P2034", {})]);
    expect(await withDeadlockRetry(client, work)).toBe("done");
    expect(options).toEqual([TRANSACTION_OPTIONS, TRANSACTION_OPTIONS, TRANSACTION_OPTIONS]);
  });

  it("gives up after DEADLOCK_ATTEMPTS runs and never retries other errors", async () => {
    const deadlocks = failingFirst(Array.from({ length: DEADLOCK_ATTEMPTS }, () => pgError("40P01")));
    await expect(withDeadlockRetry(deadlocks.client, deadlocks.work)).rejects.toMatchObject({ code: "40P01" });
    expect(deadlocks.options).toHaveLength(DEADLOCK_ATTEMPTS);

    const duplicate = failingFirst([pgError("23505")]);
    await expect(withDeadlockRetry(duplicate.client, duplicate.work)).rejects.toMatchObject({ code: "23505" });
    expect(duplicate.options).toHaveLength(1);
  });
});
