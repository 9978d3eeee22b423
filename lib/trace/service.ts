import "server-only";
import { createHash } from "node:crypto";
import { auditJson, writeAudit, type AuditChange } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db, Reader } from "@/lib/db/client";
import { env } from "@/lib/env";
import { invalidFields } from "@/lib/http/errors";
import { getTraceStory, searchTrace } from "@/lib/trace/queries";
import type { TraceList, TraceStory } from "@/lib/trace/schemas";
import { parseTraceSearch, searchKey, traceFilter, type Parsed, type TraceSearch } from "@/lib/trace/search";

// The message trace as its callers use it: viewers and up may search (they may read events), and
// each search and each story opened is audited, because both show people's mail addresses.
//
// Audit rule: one entry per user and search (its terms and range as written in the URL) per
// AUDIT_WINDOW_MS. Paging through results, reloading the page or a browser refetch within the
// window are the same look at the same data, and an entry per page flip would bury the log; the
// entry records the filter, the range it resolved to and the rows of the page that opened it.
// The lookup is one probe of the audit index (targetType, targetId, at), so a page costs the same.
// The search and the story are read through `read` (the replica when there is one); the lookup
// decides the write, so it and the entry stay on `db`, the primary, and never miss an entry the
// replica has not replayed yet.
export const AUDIT_WINDOW_MS = 30 * 60_000;

type Params = Readonly<Record<string, string | string[] | undefined>>;

/** Parses the URL's search; a range may reach as far back as events are kept (EVENT_RETENTION_DAYS). */
export function parseSearch(params: Params, now = new Date()): Parsed {
  return parseTraceSearch(params, now, traceRangeDays());
}

/** The longest range a search covers, in days: the events' retention. */
export function traceRangeDays(): number {
  return env().EVENT_RETENTION_DAYS;
}

/** Parses the URL's search; a refused one is a 400 naming every field that is wrong. */
export function traceSearchOf(params: Params, now = new Date()): TraceSearch {
  const parsed = parseSearch(params, now);
  if (!parsed.ok) throw invalidFields(parsed.issues.map((i) => ({ field: i.field, message: i.message })));
  return parsed.search;
}

export async function runTraceSearch(read: Reader, db: Db, actor: Actor, search: TraceSearch, cursor?: string, now = new Date()): Promise<TraceList> {
  requireRole(actor, "read");
  const list = await read((reader) => searchTrace(reader, search, cursor));
  await auditOnce(db, actor, {
    action: "trace.search",
    targetType: "trace",
    targetId: auditKey(actor, `search${searchKey(search)}`),
    after: auditJson({ filter: traceFilter(search), rows: list.items.length, more: list.nextCursor !== null, page: cursor ? "later" : "first" }),
  }, now);
  return list;
}

export async function openTraceStory(read: Reader, db: Db, actor: Actor, id: bigint, now = new Date()): Promise<TraceStory> {
  requireRole(actor, "read");
  const story = await read((reader) => getTraceStory(reader, id));
  await auditOnce(db, actor, {
    action: "trace.view",
    targetType: "trace",
    targetId: auditKey(actor, `message:${id}`),
    after: auditJson({ message: id.toString(), messageId: story.message.messageId, recipient: story.message.recipient, attempts: story.attempts.length }),
  }, now);
  return story;
}

/** The audit entry's target: the user and what they looked at, hashed so the id stays short whatever the terms. */
function auditKey(actor: Actor, what: string): string {
  return createHash("sha256").update(`${actor.id}\u0000${what}`).digest("base64url").slice(0, 32);
}

async function auditOnce(db: Db, actor: Actor, change: AuditChange, now: Date): Promise<void> {
  const recent = await db.auditEntry.findFirst({
    where: { targetType: change.targetType, targetId: String(change.targetId), at: { gt: new Date(now.getTime() - AUDIT_WINDOW_MS) } },
    select: { id: true },
  });
  if (!recent) await writeAudit(db, actor, [change], now);
}
