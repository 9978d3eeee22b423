import { z } from "zod";
import { EVENT_STATUSES, MAX_ERROR_DETAILS_BYTES, type EventInput } from "@/lib/events/schemas";

// Pure: checks one wire event (lib/events/schemas.ts) and says what is wrong with the first bad
// field, in words a person can act on. Hand-written because it runs for every event ingested;
// the e-mail and date-time patterns are zod's, so nothing is looser than a zod schema would be.

export type FieldProblem = { field: string; message: string };
export type Checked = { ok: true; event: EventInput; occurredAt: Date } | ({ ok: false } & FieldProblem);

/** Postgres `integer`, the type of connector ids. */
const MAX_CONNECTOR_ID = 2_147_483_647;
const EMAIL = z.regexes.email;
const DATE_TIME = z.regexes.datetime({ offset: true });
const ERROR_CODE = /^(?:[245]\d\d\s+)?[245]\.\d{1,3}\.\d{1,3}$/;
const FIELDS = new Set(["id", "occurredAt", "connector", "messageId", "sender", "recipient", "status", "errorCode", "errorDetails", "destination"]);

class Problem extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export function validateEvent(raw: unknown): Checked {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, field: "(event)", message: "must be a JSON object with the event's fields" };
  }
  const o = raw as Record<string, unknown>;
  try {
    const id = text(o.id, "id", { max: 200 });
    const occurredAt = text(o.occurredAt, "occurredAt", { required: true, max: 64 })!;
    if (!DATE_TIME.test(occurredAt)) {
      throw new Problem("occurredAt", "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-27T10:00:00Z");
    }
    const connector = connectorRef(o.connector);
    const messageId = text(o.messageId, "messageId", { required: true, max: 998 })!;
    const sender = address(o.sender, "sender");
    const recipient = address(o.recipient, "recipient");
    const event: EventInput = { occurredAt, connector, messageId, status: status(o.status) };
    const errorCode = code(o.errorCode);
    const errorDetails = details(o.errorDetails);
    const destination = text(o.destination, "destination", { max: 255 });
    // Absent fields stay absent rather than undefined.
    if (id !== undefined) event.id = id;
    if (sender !== undefined) event.sender = sender;
    if (recipient !== undefined) event.recipient = recipient;
    if (errorCode !== undefined) event.errorCode = errorCode;
    if (errorDetails !== undefined) event.errorDetails = errorDetails;
    if (destination !== undefined) event.destination = destination;
    const unknown = Object.keys(o).filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) throw new Problem("(event)", `unknown field(s): ${unknown.join(", ")}`);
    return { ok: true, event, occurredAt: new Date(occurredAt) };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

/**
 * A string field: trimmed (unless told not to), not empty, at most `max` characters, and
 * storable (Postgres text holds no NUL character and no unpaired UTF-16 surrogate). An absent
 * optional field is undefined; null counts as absent.
 */
function text(value: unknown, field: string, opts: { required?: boolean; max: number; trim?: boolean }): string | undefined {
  if (value === undefined || value === null) {
    if (opts.required) throw new Problem(field, "is required");
    return undefined;
  }
  if (typeof value !== "string") throw new Problem(field, `must be a string, not ${kindOf(value)}`);
  const s = opts.trim === false || !hasEdgeSpace(value) ? value : value.trim();
  if (s.length === 0) throw new Problem(field, "must not be empty");
  if (s.length > opts.max) throw new Problem(field, `must be at most ${opts.max} characters`);
  // One scan for the rare suspects; surrogates in pairs (emoji and the like) are fine.
  if (SUSPECT.test(s) && (s.includes("\u0000") || !s.isWellFormed())) {
    throw new Problem(field, "contains a character that cannot be stored (a NUL character or a broken UTF-16 surrogate)");
  }
  return s;
}

const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Whether trim() could change the text: its first or last character is not visible ASCII. */
function hasEdgeSpace(s: string): boolean {
  if (s.length === 0) return false;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  return first <= 32 || first >= 127 || last <= 32 || last >= 127;
}

function address(value: unknown, field: string): string | undefined {
  const s = text(value, field, { max: 320 });
  if (s !== undefined && !EMAIL.test(s)) throw new Problem(field, "must be an e-mail address");
  return s;
}

function code(value: unknown): string | undefined {
  const s = text(value, "errorCode", { max: 32 });
  if (s !== undefined && !ERROR_CODE.test(s)) throw new Problem("errorCode", "must look like `450 4.4.316` or `4.4.316`");
  return s;
}

function details(value: unknown): string | undefined {
  const s = text(value, "errorDetails", { trim: false, max: MAX_ERROR_DETAILS_BYTES });
  if (s !== undefined && Buffer.byteLength(s, "utf8") > MAX_ERROR_DETAILS_BYTES) throw new Problem("errorDetails", "must be at most 4 KB");
  return s;
}

function connectorRef(value: unknown): number | string {
  if (typeof value !== "number") return text(value, "connector", { required: true, max: 64 })!;
  if (Number.isInteger(value) && value > 0 && value <= MAX_CONNECTOR_ID) return value;
  throw new Problem("connector", "must be a connector's id (a whole number from 1) or its name");
}

function status(value: unknown): EventInput["status"] {
  if (value === undefined || value === null) throw new Problem("status", "is required");
  if (EVENT_STATUSES.includes(value as EventInput["status"])) return value as EventInput["status"];
  throw new Problem("status", `must be one of ${EVENT_STATUSES.join(", ")}`);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
