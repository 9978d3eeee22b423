import type { Prisma } from "@/lib/generated/prisma/client";

// One reading of database failures. The same failure arrives in several shapes: pg's own error
// (the SQLSTATE in `code`, the constraint by name), Prisma's known error (P2002, P2034, P1001…)
// and, through the pg adapter, the driver's error in `meta.driverAdapterError.cause`
// (`originalCode`, `kind`, `constraint.index`). Each predicate reads all of them and the `cause`
// chain, so callers name the failure they handle, not the shape it came in.

/**
 * For interactive transactions: concurrent callers queue on row locks, and on the embedded
 * database also for its single connection, so they get more than Prisma's default 2 s to start.
 * The same generous limits do no harm on a Postgres server. Every client made by createDb uses them.
 */
export const TRANSACTION_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;

/** Runs of a transaction that Postgres aborted to break a deadlock, before giving up. */
export const DEADLOCK_ATTEMPTS = 3;

/** A unique index refused a row; with `constraint`, only that index (e.g. "EventClientId_pkey"). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return inChain(error, (e) => {
    if (e.code !== "P2002" && sqlState(e) !== "23505") return false;
    return constraint === undefined || constraintName(e) === constraint;
  });
}

/** Postgres aborted the transaction to break a deadlock (or Prisma reports a write conflict): run it again. */
export function isDeadlock(error: unknown): boolean {
  return inChain(error, (e) => e.code === "P2034" || sqlState(e) === "40P01" || (typeof e.message === "string" && /deadlock detected/i.test(e.message)));
}

/**
 * A hot standby cancelled a query whose rows the primary's replayed changes removed (SQLSTATE
 * 40001 on a replica): the same read on the primary answers.
 */
export function isRecoveryConflict(error: unknown): boolean {
  return inChain(error, (e) => sqlState(e) === "40001" || (typeof e.message === "string" && /conflict with recovery/i.test(e.message)));
}

/** Prisma found no row to update or delete. */
export function isRecordNotFound(error: unknown): boolean {
  return inChain(error, (e) => e.code === "P2025");
}

/** The database named in the connection string does not exist on its server. */
export function isMissingDatabase(error: unknown): boolean {
  return inChain(error, (e) => sqlState(e) === "3D000");
}

/** A row of a partitioned table found no partition for its key (SQLSTATE 23514 with Postgres' own words). */
export function isMissingPartition(error: unknown): boolean {
  return inChain(error, (e) => sqlState(e) === "23514" && typeof e.message === "string" && /no partition of relation/i.test(e.message));
}

/** CREATE DATABASE found one of that name. */
export function isDuplicateDatabase(error: unknown): boolean {
  return inChain(error, (e) => sqlState(e) === "42P04");
}

/** Connection-level failures: nothing was done, and the request can be retried as a whole. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return inChain(error, (e) => {
    if (UNAVAILABLE_CODES.has(String(e.code)) || UNAVAILABLE_CODES.has(sqlState(e) ?? "")) return true;
    const kind = adapterCause(e)?.kind;
    if (typeof kind === "string" && UNAVAILABLE_KINDS.has(kind)) return true;
    return typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message);
  });
}

/**
 * Runs `work` in one interactive transaction, again when Postgres broke a deadlock by aborting
 * it (at most DEADLOCK_ATTEMPTS runs): the aborted run changed nothing, so running it again is safe.
 */
export async function withDeadlockRetry<T>(db: Transactional, work: (tx: Prisma.TransactionClient) => Promise<T>, attempts = DEADLOCK_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, TRANSACTION_OPTIONS);
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
    }
  }
}

/** What withDeadlockRetry needs of a client: Prisma's interactive `$transaction`. */
export type Transactional = {
  $transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>, options?: typeof TRANSACTION_OPTIONS): Promise<T>;
};

// pg and Prisma codes of a lost or refused connection: the server went away, is shutting down or
// starting, the connection broke, or no connection could be had in time (P2024: pool timeout).
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "08003", "P1001", "P1002", "P1017", "P2024"]);
// The pg adapter's names for the socket errors above.
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const UNAVAILABLE_MESSAGE = /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|Can't reach database|terminating connection/i;

type ErrorShape = { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
type AdapterCause = { originalCode?: unknown; code?: unknown; kind?: unknown; constraint?: { index?: unknown } };

/** Whether the error or one of its causes (a few levels deep, so a cycle cannot loop) matches. */
function inChain(error: unknown, matches: (e: ErrorShape) => boolean): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const e = current as ErrorShape;
    if (matches(e)) return true;
    current = e.cause;
  }
  return false;
}

/** The SQLSTATE: the one the pg adapter handed to Prisma (whose own code is then P…), or pg's. */
function sqlState(e: ErrorShape): string | undefined {
  const cause = adapterCause(e);
  const code = cause?.originalCode ?? cause?.code ?? e.code;
  return typeof code === "string" ? code : undefined;
}

function constraintName(e: ErrorShape): string | undefined {
  if (typeof e.constraint === "string") return e.constraint;
  const index = adapterCause(e)?.constraint?.index;
  return typeof index === "string" ? index : undefined;
}

function adapterCause(e: ErrorShape): AdapterCause | undefined {
  const meta = e.meta as { driverAdapterError?: { cause?: AdapterCause } } | null | undefined;
  return meta?.driverAdapterError?.cause;
}
