import "server-only";
import { poolOf, type Db } from "@/lib/db/client";
import { knownMigrations, poolMigrationStatus, type MigrationStatus } from "@/lib/db/migrate";

// What GET /api/health reports: can we reach the database, and is its schema the one this
// code expects (every migration applied, none changed after the fact)? The endpoint is public
// (load balancers have no session), so a call costs little: it uses the app's pool, never a
// connection of its own, the migration files are read once per process, and calls that arrive
// while one is being answered share its answer.
const ANSWER_WITHIN_MS = 10_000;
const inFlight = new WeakMap<Db, Promise<Health>>();
// The query itself, kept until it settles: against a database that hangs, answers give up after
// the deadline but later calls wait on the same query instead of taking another pool connection.
const querying = new WeakMap<Db, Promise<MigrationStatus>>();

export type Health =
  | { status: "ok"; database: "reachable"; migrations: { applied: number; pending: string[] } }
  | { status: "error"; database: "reachable" | "unreachable" | "not configured"; reason: string; migrations?: { applied: number; pending: string[] } };

/** `client` is the app's own (db()), or undefined when no database is configured. */
export function checkHealth(client: Db | undefined): Promise<Health> {
  if (!client) {
    return Promise.resolve({ status: "error", database: "not configured", reason: "DATABASE_URL is not set: start the app with npm start, which provides one." });
  }
  let answer = inFlight.get(client);
  if (!answer) {
    answer = answerHealth(client).finally(() => inFlight.delete(client));
    inFlight.set(client, answer);
  }
  return answer;
}

async function answerHealth(client: Db): Promise<Health> {
  // Outside the try: unreadable migration files are this installation's fault, not the database's.
  await knownMigrations();
  let state: MigrationStatus;
  try {
    state = await withinDeadline(statusQuery(client), ANSWER_WITHIN_MS);
  } catch (error) {
    return { status: "error", database: "unreachable", reason: `The database is unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const migrations = { applied: state.applied.length, pending: state.pending };
  if (state.problems.length > 0) {
    return { status: "error", database: "reachable", migrations, reason: `The migration history needs attention: ${state.problems.join(" ")}` };
  }
  if (state.pending.length > 0) {
    return {
      status: "error", database: "reachable", migrations,
      reason: `${state.pending.length} migration(s) not applied yet: ${state.pending.join(", ")}. Run npm run db:migrate (npm start does this).`,
    };
  }
  return { status: "ok", database: "reachable", migrations };
}

function statusQuery(client: Db): Promise<MigrationStatus> {
  let query = querying.get(client);
  if (!query) {
    query = poolMigrationStatus(poolOf(client)).finally(() => querying.delete(client));
    // Settled later by whoever waits; a failure after every waiter gave up must not go unhandled.
    query.catch(() => undefined);
    querying.set(client, query);
  }
  return query;
}

/** A busy pool or a lost server must not keep a load balancer waiting: no answer in time is an answer. */
function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
