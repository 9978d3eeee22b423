import { z } from "zod";
import { classifyExchangeDetail } from "@/lib/classify/exchange";
import { MAX_ERROR_DETAILS_BYTES, type EventInput } from "@/lib/events/schemas";
import { parseTraceDate } from "@/lib/sources/exchange-trace/dates";
import { columnKey, type Header, type TraceFormat } from "@/lib/sources/exchange-trace/formats";
import { rowKey } from "@/lib/sources/exchange-trace/keys";
import type { SkipReason } from "@/lib/sources/exchange-trace/skip-reasons";

// Pure: one trace row as wire events (lib/events/schemas.ts), one per recipient, or why not.
// In Exchange Online, DELIVER (V2: Delivered without a ToIP) is a delivery to a mailbox inside the
// service, through no connector: counted as a delivery only when the row names a connector, or
// a recovery would be read from mail that never went the failing route. In a tracking log
// DELIVER is the on-premises server's mailbox delivery, the end of the connector's route.
// DEFER → deferred, FAIL → failed (expired when Exchange says QUEUE.Expired), SEND and DELIVER →
// delivered; every other event is no delivery attempt. The code is Exchange's own, read from the
// `LED=` text by the one classifier (lib/classify/exchange.ts). The connector is the one
// connector_id names, else the one that routes the recipient's domain.

export type ConnectorRef = Readonly<{ id: number; name: string }>;

export type ConnectorResolver = Readonly<{
  /** The connector of this name (ignoring case), or null. */
  byName: (name: string) => ConnectorRef | null;
  /** The connector that routes this domain (routeRecipientDomain), or null. */
  byRecipientDomain: (domain: string) => ConnectorRef | null;
}>;

export type RowOutcome = { event: EventInput; occurredAt: string } | { skip: SkipReason };

type Status = EventInput["status"];

const EMAIL = z.regexes.email;
const ATTEMPTS: Readonly<Record<string, Status>> = { DEFER: "deferred", FAIL: "failed", SEND: "delivered", DELIVER: "delivered", SENDEXTERNAL: "delivered" };
const V2_OUTCOMES: Readonly<Record<string, Status>> = { DELIVERED: "delivered", FAILED: "failed" };

export function mapRow(header: Header, fields: readonly string[], connectors: ConnectorResolver): RowOutcome[] {
  if (fields.length !== header.width) return [{ skip: "malformed" }];
  if (fields.some((f) => f.includes("\uFFFD") || f.includes("\u0000"))) return [{ skip: "not-text" }];
  const get = (name: string) => (fields[header.columns.get(keyOf(name)) ?? -1] ?? "").trim();
  const row = ROW_READERS[header.format](get);
  if ("skip" in row) return [row];
  const occurredAt = parseTraceDate(row.time);
  if (!occurredAt) return [{ skip: "bad-date" }];
  if (row.messageId === "") return [{ skip: "no-message-id" }];
  const recipients = splitList(row.recipients);
  if (recipients.length === 0) return [{ skip: "no-recipient" }];
  const statuses = splitStatuses(row.statusText);
  return recipients.map((recipient, i) => {
    const text = statuses.length === recipients.length ? statuses[i]! : row.statusText;
    return toEvent(header.format, row, recipient, text, occurredAt, connectors);
  });
}

/** What a row says, in the terms every format shares. */
type Row = {
  time: string;
  status: Status;
  /** The event (DEFER…) or the V2 status (Delivered…) as written, for the key. */
  what: string;
  /** The parts of the key before the recipient (trace id; server and internal id…). */
  ids: string[];
  messageId: string;
  sender: string;
  recipients: string;
  statusText: string;
  connector: string;
  server: string;
};

type Get = (name: string) => string;

const ROW_READERS: Readonly<Record<TraceFormat, (get: Get) => Row | { skip: SkipReason }>> = {
  v2: (get) => {
    const what = get("Status");
    const upper = what.toUpperCase();
    if (upper === "PENDING") return { skip: "pending" };
    const status = V2_OUTCOMES[upper];
    if (!status) return { skip: "not-an-attempt" };
    if (status === "delivered" && get("ToIP") === "") return { skip: "mailbox-delivery" };
    const traceId = get("MessageTraceId");
    return { time: get("Received"), status, what: upper, ids: [traceId], messageId: get("MessageId") || traceId, sender: get("SenderAddress"), recipients: get("RecipientAddress"), statusText: "", connector: "", server: get("ToIP") };
  },
  detail: (get) => {
    const what = get("Event").replace(/\s+/g, "").toUpperCase();
    const status = ATTEMPTS[what];
    if (!status) return { skip: "not-an-attempt" };
    if (what === "DELIVER") return { skip: "mailbox-delivery" };
    const traceId = get("MessageTraceId");
    const detail = get("Detail");
    const text = /LED=|\b[245]\.\d{1,3}\.\d{1,3}\b/.test(detail) ? detail : [detail, get("Data")].filter(Boolean).join(" ");
    return { time: get("Date"), status, what, ids: [traceId], messageId: get("MessageId") || traceId, sender: get("SenderAddress"), recipients: get("RecipientAddress"), statusText: text, connector: "", server: "" };
  },
  report: (get) => {
    if (get("event_id").toUpperCase() === "DELIVER" && get("connector_id") === "") return { skip: "mailbox-delivery" };
    return reportRow(get, get("date_time_utc"), [get("network_message_id") || get("internal_message_id") || get("message_id")]);
  },
  // internal-message-id is counted per server: the row's two host names say which server's log it is.
  msgtrk: (get) => reportRow(get, get("date-time"), [get("client-hostname"), get("server-hostname"), get("internal-message-id") || get("message-id")]),
};

/** The admin center's report and the tracking log share their columns (one with `_`, one with `-`). */
function reportRow(get: Get, time: string, ids: string[]): Row | { skip: SkipReason } {
  const what = get("event_id").toUpperCase();
  const status = ATTEMPTS[what];
  if (!status) return { skip: "not-an-attempt" };
  const recipientStatus = get("recipient_status");
  const custom = get("custom_data");
  const statusText = status !== "delivered" && !/LED=/.test(recipientStatus) && /LED=/.test(custom) ? custom : recipientStatus;
  return { time, status, what, ids, messageId: get("message_id"), sender: get("sender_address"), recipients: get("recipient_address"), statusText, connector: get("connector_id"), server: get("server_hostname") };
}

function toEvent(format: TraceFormat, row: Row, rawRecipient: string, text: string, occurredAt: string, connectors: ConnectorResolver): RowOutcome {
  const recipient = rawRecipient.toLowerCase();
  if (!EMAIL.test(recipient)) return { skip: "no-recipient" };
  const connector = resolveConnector(row.connector, recipient, connectors);
  if ("skip" in connector) return connector;
  const status: Status = row.status === "failed" && /QUEUE\.Expired/i.test(text) ? "expired" : row.status;
  const event: EventInput = { id: rowKey(format, [...row.ids, recipient, row.what, occurredAt]), occurredAt, connector: connector.id, messageId: row.messageId.slice(0, 998), recipient, status };
  const sender = row.sender.toLowerCase();
  if (EMAIL.test(sender)) event.sender = sender;
  if (status !== "delivered" && text !== "") {
    const classified = classifyExchangeDetail(text);
    if (/^[245]\.\d{1,3}\.\d{1,3}$/.test(classified.code)) event.errorCode = classified.smtp ? `${classified.smtp} ${classified.code}` : classified.code;
    event.errorDetails = cutToBytes(text, MAX_ERROR_DETAILS_BYTES);
  }
  const destination = destinationOf(text) ?? row.server;
  if (destination !== "") event.destination = destination.slice(0, 255);
  return { event, occurredAt };
}

/** columnKey of the few names the readers ask for, worked out once rather than per row. */
const KEYS = new Map<string, string>();
function keyOf(name: string): string {
  let key = KEYS.get(name);
  if (key === undefined) KEYS.set(name, (key = columnKey(name)));
  return key;
}

/** By connector_id when the row names one (the part after `SERVER\` too), else by the recipient's domain. */
function resolveConnector(named: string, recipient: string, connectors: ConnectorResolver): ConnectorRef | { skip: SkipReason } {
  if (named !== "") {
    const found = connectors.byName(named) ?? connectors.byName(named.slice(named.lastIndexOf("\\") + 1));
    return found ?? { skip: "unknown-connector" };
  }
  return connectors.byRecipientDomain(recipient.slice(recipient.lastIndexOf("@") + 1)) ?? { skip: "no-connector" };
}

/** Where Exchange last tried: `[LastAttemptedServerName=…]`, `{Last attempted server name=…}` or `{FQDN=…}`. */
function destinationOf(text: string): string | null {
  const m = /(?:LastAttemptedServerName|Last attempted server name|FQDN)=([^\]};]+)/i.exec(text);
  return m?.[1]?.trim() || null;
}

/** `a@x;b@y` (tracking logs and reports list a row's recipients so). */
function splitList(text: string): string[] {
  return text.split(/[;,]/).map((s) => s.trim()).filter((s) => s !== "");
}

/** One status per recipient, split on `;` outside `[…]` and `{…}` (a status holds `{LED=…};{MSG=…}`). */
function splitStatuses(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && depth > 0) depth--;
    else if (c === ";" && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, "utf8") <= max) return text;
  let cut = text.slice(0, max);
  while (Buffer.byteLength(cut, "utf8") > max - 3) cut = cut.slice(0, -64);
  // A cut between the halves of a surrogate pair leaves a half Postgres cannot store.
  return `${cut.toWellFormed()}…`;
}
