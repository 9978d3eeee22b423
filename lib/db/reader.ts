import "server-only";
import { cookies } from "next/headers";
import { db, poolOf, readDb, type Db, type Reader } from "@/lib/db/client";
import { isDatabaseUnavailable, isRecoveryConflict } from "@/lib/db/errors";
import {
  READ_AFTER_COOKIE,
  READ_PRIMARY,
  REPLICA_RETRY_MS,
  chooseReader,
  cookieFrom,
  healthChange,
  isWriteMethod,
  needsCheck,
  parseLsn,
  readAfterFrom,
  readAfterSetCookie,
  streamsAfterHeaders,
  type ReadAfter,
  type ReplicaHealth,
} from "@/lib/db/read-routing";
import { env } from "@/lib/env";

// The edge of read routing (docs/replica.md): the dashboard's GET handlers and pages run their
// reads through readFor / readForPage, and the route wrapper marks every successful write with
// the primary's WAL position. Writes, jobs, ingest and sign-in never come here: they use db().

/** Runs a route handler's read on the database that should answer this request. */
export function readFor<T>(req: Request, work: (db: Db) => Promise<T>): Promise<T> {
  return readAfter(readAfterFrom(cookieFrom(req.headers.get("cookie"), READ_AFTER_COOKIE)), work);
}

/** readFor as a Reader, for lib functions that read more than once (an export's pages) or also write. */
export function readerFor(req: Request): Reader {
  return (work) => readFor(req, work);
}

/** readFor for server-rendered pages, which see the request's cookies through next/headers. */
export async function readForPage<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const jar = await cookies();
  return readAfter(readAfterFrom(jar.get(READ_AFTER_COOKIE)?.value), work);
}

/**
 * A successful write's response with the cookie that sends its author's next reads to the primary
 * until the replica has replayed this far. Unchanged without a replica, for reads and for failures.
 */
export async function markWritten(req: Request, res: Response): Promise<Response> {
  if (!env().DATABASE_READ_URL || !res.ok || !isWriteMethod(req.method)) return res;
  // Without a position that covers the write, its author reads the primary for the cookie's lifetime.
  const value = streamsAfterHeaders(res.headers.get("content-type")) ? READ_PRIMARY : ((await primaryPosition()) ?? READ_PRIMARY);
  const secure = new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  const marked = new Response(res.body, res);
  marked.headers.append("set-cookie", readAfterSetCookie(value, secure));
  return marked;
}

/** The primary's WAL position now, or undefined (logged) when it cannot be read. */
async function primaryPosition(): Promise<string | undefined> {
  try {
    const { rows } = await poolOf(db()).query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    return rows[0]?.lsn;
  } catch (error) {
    // The write committed; failing its response now would invite a retry of a done change.
    console.warn(`[db] the write succeeded but its WAL position could not be read: ${(error as Error).message}`);
    return undefined;
  }
}

async function readAfter<T>(after: ReadAfter, work: (db: Db) => Promise<T>): Promise<T> {
  if (!env().DATABASE_READ_URL) return work(db());
  if (chooseReader(await replicaHealth(after), after) === "primary") return work(db());
  try {
    return await work(readDb());
  } catch (error) {
    // A read changes nothing, so it is safe to run again on the primary.
    if (isDatabaseUnavailable(error)) {
      record({ reachable: false, checkedAt: Date.now(), replayed: null }, error);
      return work(db());
    }
    if (isRecoveryConflict(error)) return work(db());
    throw error;
  }
}

type ReplicaState = { health?: ReplicaHealth; checking?: Promise<ReplicaHealth> };

// On globalThis under a registered symbol, like the clients: every bundled copy of this module
// must share one view of the replica, or each would log and retry on its own.
const STATE = Symbol.for("mailflow.db.replica");

function state(): ReplicaState {
  const holder = globalThis as unknown as Record<symbol, ReplicaState | undefined>;
  holder[STATE] ??= {};
  return holder[STATE];
}

/** What is known of the replica, asked again only when the read needs it; concurrent asks share one query. */
async function replicaHealth(after: ReadAfter): Promise<ReplicaHealth> {
  const s = state();
  if (s.health && !needsCheck(s.health, after, Date.now())) return s.health;
  s.checking ??= checkReplica().finally(() => {
    s.checking = undefined;
  });
  return s.checking;
}

async function checkReplica(): Promise<ReplicaHealth> {
  try {
    const { rows } = await poolOf(readDb()).query<{ lsn: string | null }>("SELECT pg_last_wal_replay_lsn()::text AS lsn");
    return record({ reachable: true, checkedAt: Date.now(), replayed: parseLsn(rows[0]?.lsn) });
  } catch (error) {
    // Whatever the reason (down, refused, a wrong password), the primary answers meanwhile.
    return record({ reachable: false, checkedAt: Date.now(), replayed: null }, error);
  }
}

function record(next: ReplicaHealth, error?: unknown): ReplicaHealth {
  const s = state();
  const change = healthChange(s.health, next);
  if (change === "lost") {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`[db] read replica unreachable (${reason}): reads go to the primary; tried again every ${REPLICA_RETRY_MS / 1000} s`);
  } else if (change === "back") {
    console.info("[db] read replica reachable again: reads go to it");
  }
  s.health = next;
  return next;
}

/** Forgets what was seen of the replica (tests that start a new one, or stop it, call this). */
export function resetReplicaState(): void {
  const s = state();
  s.health = undefined;
  s.checking = undefined;
}
