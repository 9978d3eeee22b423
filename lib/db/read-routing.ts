// Which database answers a dashboard read: the streaming replica (DATABASE_READ_URL) or the
// primary. Pure, so every case is unit-tested without a database; lib/db/reader.ts feeds it what
// it saw of the replica and the request. See docs/replica.md.

/**
 * The cookie a successful write leaves on its response: the primary's WAL position right after
 * the write. A read carrying it goes to the replica only once the replica has replayed that far.
 */
export const READ_AFTER_COOKIE = "mailflow.read_after";

/**
 * How long a write keeps its author's reads checked against the replica. Replication here lags
 * by milliseconds; a replica a minute behind is broken, and a minute of primary reads per writer
 * is cheap. Past it, reads go to the replica like any other.
 */
export const READ_AFTER_SECONDS = 60;

/**
 * The cookie's value for a write whose work goes on after the response's headers have left (a
 * streamed NDJSON answer, e.g. Validate connector): no position taken then covers what it writes
 * later, so its author reads the primary for the cookie's lifetime.
 */
export const READ_PRIMARY = "primary";

/** How long a replica that could not be reached is left alone before it is tried again. */
export const REPLICA_RETRY_MS = 5_000;

/** What this process last saw of the replica. `replayed` is null when it is not replaying (not a standby). */
export type ReplicaHealth = { reachable: boolean; checkedAt: number; replayed: bigint | null };

export type ReadTarget = "replica" | "primary";

/**
 * A WAL position as Postgres prints it ("16/B374D848": the high and low 32 bits in hex) as one
 * number; null when the text is not one (a cookie is the client's to change).
 */
export function parseLsn(text: string | null | undefined): bigint | null {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text ?? "");
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/**
 * What a read carries: nothing (no write of its own lately), a position to wait for, or a value
 * that is not one, which is read on the primary: it is always right, only dearer.
 */
export type ReadAfter = { kind: "none" } | { kind: "lsn"; lsn: bigint } | { kind: "primary" } | { kind: "invalid" };

export function readAfterFrom(cookieValue: string | undefined): ReadAfter {
  if (cookieValue === undefined || cookieValue === "") return { kind: "none" };
  if (cookieValue === READ_PRIMARY) return { kind: "primary" };
  const lsn = parseLsn(cookieValue);
  return lsn === null ? { kind: "invalid" } : { kind: "lsn", lsn };
}

/**
 * Whether the replica must be asked (again) before this read is routed: never seen; unreachable
 * and its retry time has come; or reachable but not yet known to have replayed the read's write
 * (its position only grows, so a position already seen far enough needs no new question).
 */
export function needsCheck(health: ReplicaHealth | undefined, after: ReadAfter, now: number): boolean {
  if (!health) return true;
  if (!health.reachable) return now - health.checkedAt >= REPLICA_RETRY_MS;
  return after.kind === "lsn" && !caughtUp(health, after.lsn);
}

/** Where the read goes, given what is known of the replica (undefined: no replica configured). */
export function chooseReader(health: ReplicaHealth | undefined, after: ReadAfter): ReadTarget {
  if (!health || !health.reachable) return "primary";
  if (after.kind === "none") return "replica";
  if (after.kind !== "lsn") return "primary";
  return caughtUp(health, after.lsn) ? "replica" : "primary";
}

/** What to log when the replica's reachability changed: once per change, never per request. */
export function healthChange(before: ReplicaHealth | undefined, after: ReplicaHealth): "lost" | "back" | null {
  const wasReachable = before?.reachable ?? true;
  if (wasReachable && !after.reachable) return "lost";
  if (!wasReachable && after.reachable) return "back";
  return null;
}

/** The value of one cookie in a Cookie header, or undefined. */
export function cookieFrom(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return decoded(part.slice(at + 1).trim());
  }
  return undefined;
}

/** The Set-Cookie header a write's response carries; Secure when the request came over https. */
export function readAfterSetCookie(lsn: string, secure: boolean): string {
  const attributes = [`${READ_AFTER_COOKIE}=${lsn}`, "Path=/", `Max-Age=${READ_AFTER_SECONDS}`, "HttpOnly", "SameSite=Lax"];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

/** Whether a response's body is still being produced (and written) after its headers leave. */
export function streamsAfterHeaders(contentType: string | null): boolean {
  return /^application\/x-ndjson\b/i.test(contentType ?? "");
}

/** Requests that may change data, so their success leaves the cookie: all but GET, HEAD and OPTIONS. */
export function isWriteMethod(method: string): boolean {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}

function caughtUp(health: ReplicaHealth, lsn: bigint): boolean {
  return health.replayed !== null && health.replayed >= lsn;
}

/** A cookie value percent-decoded; a malformed one stays as sent (and is then no position). */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
