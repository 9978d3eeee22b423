import { z } from "zod";
import { codeFilterSchema } from "@/lib/alerts/schemas";
import { TRACE_STATES, type TraceState } from "@/lib/trace/schemas";

// Pure: a message-trace search as the URL (and so the API and the page) spells it, checked and
// normalised into the terms the queries compare with the stored, normalised columns. Every term
// is matched by equality, never LIKE, so `%` and `_` are characters like any other. Checked by
// hand rather than by a zod object so that each refusal carries a reason the page can say in its
// own language (messages/*/trace.json) and the API in English.

export const DEFAULT_RANGE_MS = 48 * 3600_000;
/**
 * The longest range a search covers, in days, unless the caller names another: the events'
 * retention (EVENT_RETENTION_DAYS, 90 by default, as long as Exchange Online's trace reaches back).
 */
export const MAX_RANGE_DAYS = 90;
const DAY_MS = 24 * 3600_000;
export const PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** RFC 5322's line limit for a message id, as ingest accepts it; RFC 5321's for an address. */
export const MAX_MESSAGE_ID = 998;
export const MAX_ADDRESS = 320;
const MAX_CODE = 32;

/** The URL's parameters, in the order the page writes them. */
export const TRACE_PARAMS = ["messageId", "sender", "recipient", "status", "connector", "code", "from", "to"] as const;
export type TraceParam = (typeof TRACE_PARAMS)[number];

/** Why a parameter was refused: the page says it in its language, the API in English. */
export type TraceIssueReason = "tooLong" | "notAddress" | "senderDomain" | "notCode" | "notStatus" | "notConnector" | "notTime" | "reversed" | "tooWide" | "notLimit";

export type TraceIssue = { field: TraceParam | "limit"; reason: TraceIssueReason; max?: number; message: string };

export type TraceSearch = {
  messageIds?: string[];
  sender?: string;
  recipient?: string;
  domain?: string;
  status?: TraceState;
  connector?: number;
  code?: string;
  from: Date;
  to: Date;
  limit: number;
  /** What the URL said (empty values dropped), for links, the audit log and the export. */
  given: Partial<Record<TraceParam, string>>;
};

/** A refused search keeps what was given, so a form can show it for correction. */
export type Parsed = { ok: true; search: TraceSearch } | { ok: false; issues: TraceIssue[]; given: TraceSearch["given"] };

export const traceCursorSchema = z.object({ t: z.iso.datetime(), id: z.string().regex(/^\d{1,19}$/) }).strict();
export type TraceCursor = z.infer<typeof traceCursorSchema>;

type Params = Readonly<Record<string, string | string[] | undefined>>;

/** Checks and normalises a search; `now` ends the default range. Every problem is reported, not just the first. */
export function parseTraceSearch(params: Params, now: Date, maxRangeDays = MAX_RANGE_DAYS): Parsed {
  const given = givenParams(params);
  const issues: TraceIssue[] = [];
  const search: TraceSearch = { from: now, to: now, limit: PAGE_SIZE, given };
  const fail = (field: TraceIssue["field"], reason: TraceIssueReason, max?: number) => issues.push({ field, reason, max, message: MESSAGES[reason](max) });
  const bounded = (field: TraceParam, max: number): string | undefined => {
    const value = given[field];
    if (value === undefined || value.length <= max) return value;
    fail(field, "tooLong", max);
    return undefined;
  };

  const messageId = bounded("messageId", MAX_MESSAGE_ID);
  if (messageId) search.messageIds = messageIdForms(messageId);
  const sender = bounded("sender", MAX_ADDRESS)?.toLowerCase();
  if (sender?.startsWith("@")) fail("sender", "senderDomain");
  else if (sender) search.sender = sender;
  const recipient = bounded("recipient", MAX_ADDRESS)?.toLowerCase();
  if (recipient?.startsWith("@")) {
    const domain = recipient.slice(1);
    if (domain === "" || domain.includes("@")) fail("recipient", "notAddress");
    else search.domain = domain;
  } else if (recipient) search.recipient = recipient;
  const code = bounded("code", MAX_CODE);
  if (code) {
    // "other" groups codes on the alert list; a trace names one code.
    const parsed = codeFilterSchema.safeParse(code.toLowerCase());
    if (parsed.success && parsed.data !== "other") search.code = parsed.data;
    else fail("code", "notCode");
  }
  if (given.status) {
    if ((TRACE_STATES as readonly string[]).includes(given.status)) search.status = given.status as TraceState;
    else fail("status", "notStatus");
  }
  if (given.connector) {
    const id = /^\d{1,10}$/.test(given.connector) ? Number(given.connector) : NaN;
    if (id >= 1 && id <= 2_147_483_647) search.connector = id;
    else fail("connector", "notConnector");
  }
  const limit = single(params.limit);
  if (limit) {
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (n >= 1 && n <= MAX_PAGE_SIZE) search.limit = n;
    else fail("limit", "notLimit", MAX_PAGE_SIZE);
  }
  resolveRange(given, now, maxRangeDays, search, fail);
  return issues.length > 0 ? { ok: false, issues, given } : { ok: true, search };
}

/** The search's parameters as a query string ("" or "?a=b…"), in TRACE_PARAMS order, for links. */
export function traceSearchString(given: Partial<Record<TraceParam, string>>, extra: Readonly<Record<string, string | undefined>> = {}): string {
  const params = new URLSearchParams();
  for (const key of TRACE_PARAMS) if (given[key]) params.set(key, given[key]);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** What the audit log records of a search: its terms as written and the range they resolved to. */
export function traceFilter(search: TraceSearch): Record<string, string> {
  return { ...search.given, from: search.from.toISOString(), to: search.to.toISOString() };
}

/** The search's own parameters (not its cursor or page size): what one search is, for the audit log's "same search". */
export function searchKey(search: TraceSearch): string {
  return traceSearchString(search.given);
}

/**
 * A message id is stored as its source wrote it, usually in angle brackets (`<id@host>`) and
 * sometimes without: a search for either spelling finds both.
 */
export function messageIdForms(term: string): string[] {
  const bare = term.startsWith("<") && term.endsWith(">") && term.length > 2 ? term.slice(1, -1) : term;
  return bare === term ? [term, `<${term}>`] : [bare, term];
}

function resolveRange(given: TraceSearch["given"], now: Date, maxDays: number, search: TraceSearch, fail: (f: TraceParam, r: TraceIssueReason, max?: number) => void) {
  const from = given.from === undefined ? undefined : instant(given.from);
  const to = given.to === undefined ? undefined : instant(given.to);
  if (from === null) fail("from", "notTime");
  if (to === null) fail("to", "notTime");
  if (from === null || to === null) return;
  search.to = to ?? (from ? new Date(Math.max(now.getTime(), from.getTime() + 1)) : now);
  search.from = from ?? new Date(search.to.getTime() - DEFAULT_RANGE_MS);
  if (search.from >= search.to) fail("to", "reversed");
  else if (search.to.getTime() - search.from.getTime() > maxDays * DAY_MS) fail("from", "tooWide", maxDays);
}

/** An ISO 8601 time with a zone (`Z` or an offset); anything else is null. */
function instant(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function givenParams(params: Params): Partial<Record<TraceParam, string>> {
  const given: Partial<Record<TraceParam, string>> = {};
  for (const key of TRACE_PARAMS) {
    const value = single(params[key])?.trim();
    if (value) given[key] = value;
  }
  return given;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const MESSAGES: Record<TraceIssueReason, (max?: number) => string> = {
  tooLong: (max) => `is longer than ${max} characters`,
  notAddress: () => "write a whole address, or a domain as @example.com",
  senderDomain: () => "a sender is searched by its whole address; a domain (@…) works for recipients",
  notCode: () => "is not a status code such as 4.4.316 or 450 4.4.316",
  notStatus: () => `is not one of ${TRACE_STATES.join(", ")}`,
  notConnector: () => "is not a connector id",
  notTime: () => "is not an ISO 8601 time with a zone, such as 2026-12-01T08:00:00Z",
  reversed: () => "must be later than from",
  tooWide: (max) => `the range is longer than ${max} days, the longest a search covers`,
  notLimit: (max) => `must be a whole number from 1 to ${max}`,
};
