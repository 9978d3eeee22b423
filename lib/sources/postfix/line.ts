import { fromZonedInput } from "@/lib/i18n/zoned-time";

// Pure: one line of a Postfix log, as Postfix's own maillog_file writes it (msg_logger.c:
// `Dec 01 13:55:14 host postfix/smtp[123]: text`, strftime's "%b %d %H:%M:%S", the host's first
// label), as classic syslog writes it (`Dec  1 …`) or with an RFC 3339 time stamp (rsyslog's
// file format). The program is `<syslog_name>/<process>`: `postfix/smtp`, a second instance's
// `postfix-out/smtp`, a master.cf service's `postfix/relay/smtp`. docs/sources-postfix.md.

export type PostfixLine = Readonly<{
  at: Date;
  /** The time as written, in UTC with its fraction as given (microseconds): part of event ids. */
  stamp: string;
  host: string;
  /** The syslog name's first part, `postfix` or `postfix-out`: queue ids are per instance. */
  instance: string;
  /** The process: smtp, error, lmtp, cleanup, qmgr, bounce, smtpd, pickup, local, tlsproxy, postlog… */
  program: string;
  pid: number | null;
  queueId: string | null;
  /** What follows `QUEUEID: ` (or the whole message when it names no queue). */
  text: string;
}>;

export type LineSkipReason = "empty" | "binary" | "too long" | "unparsable" | "other program";

/**
 * The year of lines that do not write one, and the month of the latest line (0–11). A month more
 * than half a year before the latest starts the next year (Dec → Jan); one more than half a year
 * after it belongs to the year before (a Dec line just after a Jan one, or a file's first line
 * older than the time the clock was started at).
 */
export type YearClock = Readonly<{ year: number; month: number }>;

export type ParsedLine =
  | Readonly<{ ok: true; line: PostfixLine; clock: YearClock }>
  | Readonly<{ ok: false; reason: LineSkipReason; clock: YearClock }>;

/** Longer than any line Postfix writes (it cuts a record's text at 2,000 characters) or syslog keeps by default. */
export const MAX_LINE_LENGTH = 8192;

/** A clock for a log whose latest line is near `reference`: the file's modification time, or now. */
export function startYearClock(reference: Date): YearClock {
  return { year: reference.getUTCFullYear(), month: reference.getUTCMonth() };
}

/**
 * Reads one line (without its newline). `timeZone` is the IANA zone of time stamps that write
 * none (the first two formats, in the Postfix host's local time).
 */
export function parsePostfixLine(raw: string, clock: YearClock, timeZone = "UTC"): ParsedLine {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (text.trim() === "") return { ok: false, reason: "empty", clock };
  if (text.length > MAX_LINE_LENGTH) return { ok: false, reason: "too long", clock };
  // Control characters and U+FFFD (bytes the reader could not decode as UTF-8): not a log line.
  if (BINARY.test(text)) return { ok: false, reason: "binary", clock };
  const head = readTimestamp(text, clock, timeZone);
  if (!head) return { ok: false, reason: "unparsable", clock };
  const tagged = TAGGED.exec(head.rest);
  if (!tagged) return { ok: false, reason: "unparsable", clock: head.clock };
  const [, host = "", tag = "", pid, message = ""] = tagged;
  const program = PROGRAM.exec(tag);
  if (!program) return { ok: false, reason: "other program", clock: head.clock };
  const queued = QUEUE_ID.exec(message);
  const line: PostfixLine = {
    at: head.at,
    stamp: head.stamp,
    host,
    instance: program[1] ?? "",
    program: program[2] ?? "",
    pid: pid === undefined ? null : Number(pid),
    queueId: queued?.[1] ?? null,
    text: queued ? message.slice(queued[0].length) : message,
  };
  return { ok: true, line, clock: head.clock };
}

const BINARY = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SYSLOG_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;
// Also journalctl's short-iso offset without a colon (`+0100`).
const RFC3339_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2}) /i;
const TAGGED = /^(\S+) ([^\s[:]+)(?:\[(\d{1,10})\])?: ?(.*)$/;
// The syslog name's first part is `postfix` or a second instance's `postfix-<name>`.
const PROGRAM = /^(postfix(?:-[^/\s]+)?)(?:\/[^/\s]+)*\/([^/\s]+)$/;
// Short (hex) and long (non-repeating, `enable_long_queue_ids`) queue ids; NOQUEUE is no id.
const QUEUE_ID = /^([0-9A-F]{5,}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,}z[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-y]+): /;

type Head = { at: Date; stamp: string; clock: YearClock; rest: string };

function readTimestamp(text: string, clock: YearClock, timeZone: string): Head | null {
  const syslog = SYSLOG_TIME.exec(text);
  if (syslog) return readSyslogTime(syslog, clock, timeZone, text.slice(syslog[0].length));
  const rfc = RFC3339_TIME.exec(text);
  if (rfc) return readRfc3339Time(rfc, clock, text.slice(rfc[0].length));
  return null;
}

function readSyslogTime(m: RegExpExecArray, clock: YearClock, timeZone: string, rest: string): Head | null {
  const month = MONTHS.indexOf(m[1] ?? "");
  const [day, hour, minute, second] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  if (month < 0 || !validTime(hour, minute, second)) return null;
  const year = yearOf(month, clock);
  if (!validDate(year, month, day)) return null;
  const wall = `${year}-${pad(month + 1)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
  const minuteStart = zonedMinute(wall, timeZone);
  if (minuteStart === null) return null;
  const at = new Date(minuteStart + second * 1000);
  return { at, stamp: at.toISOString().replace(".000Z", "Z"), clock: { year, month }, rest };
}

function readRfc3339Time(m: RegExpExecArray, clock: YearClock, rest: string): Head | null {
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (!validTime(hour, minute, second) || !validDate(year, month - 1, day)) return null;
  const fraction = m[7] ?? "";
  const zone = (m[8] ?? "Z").toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction.slice(0, 4)}${zone}`);
  if (Number.isNaN(at.getTime())) return null;
  // Keep the digits past the millisecond the Date cannot hold: two lines a microsecond apart differ.
  const stamp = `${at.toISOString().slice(0, 19)}${fraction}Z`;
  return { at, stamp, clock: { year, month: month - 1 }, rest };
}

function yearOf(month: number, clock: YearClock): number {
  if (month < clock.month - 6) return clock.year + 1;
  if (month > clock.month + 6) return clock.year - 1;
  return clock.year;
}

// Lines come in order, so most share the minute of the line before: one zone look-up a minute.
let lastMinute: { key: string; ms: number | null } = { key: "", ms: null };

function zonedMinute(wall: string, timeZone: string): number | null {
  const key = `${timeZone} ${wall}`;
  if (lastMinute.key !== key) {
    const ms = timeZone === "UTC" ? Date.parse(`${wall}Z`) : (fromZonedInput(wall, timeZone)?.getTime() ?? null);
    lastMinute = { key, ms };
  }
  return lastMinute.ms;
}

function validTime(hour: number, minute: number, second: number): boolean {
  return hour < 24 && minute < 60 && second < 61;
}

function validDate(year: number, month: number, day: number): boolean {
  return day >= 1 && day <= new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
