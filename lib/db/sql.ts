import "server-only";
import type pg from "pg";

// A transaction on a plain pg connection, for the ingest hot path: the same two calls as a
// Prisma transaction client's raw queries, without Prisma's per-query runtime in between.
export type SqlTx = {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
  /**
   * Runs `hook` once the transaction committed (never when it rolls back), for what must count
   * only committed work: the metrics of ingest inside a caller's transaction. Optional because a
   * Prisma transaction client, which has no such hook, is passed where an SqlTx is asked for.
   */
  afterCommit?(hook: () => void): void;
};

export async function withSqlTransaction<T>(pool: pg.Pool, work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const committed: (() => void)[] = [];
  const tx: SqlTx = {
    $queryRawUnsafe: async <R>(sql: string, ...values: unknown[]) => (await client.query(sql, values)).rows as R,
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => (await client.query(sql, values)).rowCount ?? 0,
    afterCommit: (hook) => { committed.push(hook); },
  };
  let failed = false;
  // A checked-out client has no listener of the pool's: a connection lost between statements (a
  // database restart while the caller waits on something else) would be an uncaught 'error'. The
  // next statement fails with it instead, and the connection is dropped below.
  const onLost = () => { failed = true; };
  client.on("error", onLost);
  let result: T;
  try {
    await client.query("BEGIN");
    result = await work(tx);
    await client.query("COMMIT");
  } catch (error) {
    failed = true;
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.removeListener("error", onLost);
    // A connection whose transaction failed may be broken: drop it rather than reuse it.
    client.release(failed);
  }
  // Outside the try: a hook's failure must not pass for the transaction's.
  for (const hook of committed) hook();
  return result;
}

/**
 * A Postgres array literal (`{"a",NULL,3}`) for a `$n::text[]`-style parameter, built in one
 * pass: the ingest path sends arrays of a thousand values, and Postgres reads a literal several
 * times faster than a JSON record set. Strings are quoted with `"` and `\` escaped; null and
 * undefined are NULL; dates are sent as ISO 8601.
 */
export function arrayLiteral(values: readonly (string | number | Date | null | undefined)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "number") out += String(v);
    else {
      const s = typeof v === "string" ? v : v.toISOString();
      out += NEEDS_ESCAPE.test(s) ? `"${s.replace(ESCAPED, "\\$&")}"` : `"${s}"`;
    }
  }
  return `${out}}`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;
