// Pure: which export a trace file is, from its header. Four are read (docs/trace-import.md):
//   v2      Get-MessageTraceV2 | Export-Csv: one row per message and recipient, its final status
//   detail  Get-MessageTraceDetailV2 | Export-Csv: one row per event of a message and recipient
//   report  the admin center's downloaded message trace report: snake_case, one row per event
//   msgtrk  Exchange Server's message tracking log (MSGTRK*.log) with its `#Fields:` line
// Column names are compared ignoring case, `-` and `_`, so `recipient-status` (a tracking log)
// and `recipient_status` (a report) are one name. Anything else is refused, naming what was expected.

export type TraceFormat = "v2" | "detail" | "report" | "msgtrk";

export type Header = { format: TraceFormat; columns: ReadonlyMap<string, number>; width: number };
export type DetectedFormat = ({ ok: true } & Header) | { ok: false; message: string };

/** The events' `source`: the cloud's exports and on-premises tracking logs are told apart. */
export const SOURCE_OF: Readonly<Record<TraceFormat, string>> = {
  v2: "exchange-trace",
  detail: "exchange-trace",
  report: "exchange-trace",
  msgtrk: "exchange-tracking",
};

export const FORMAT_LABEL: Readonly<Record<TraceFormat, string>> = {
  v2: "Get-MessageTraceV2 export",
  detail: "Get-MessageTraceDetailV2 export",
  report: "admin center message trace report",
  msgtrk: "Exchange Server message tracking log",
};

const REQUIRED: Readonly<Record<TraceFormat, readonly string[]>> = {
  v2: ["Received", "SenderAddress", "RecipientAddress", "Status", "MessageTraceId"],
  detail: ["Date", "Event", "Detail", "MessageTraceId", "RecipientAddress"],
  report: ["date_time_utc", "event_id", "recipient_address", "recipient_status", "message_id"],
  msgtrk: ["date-time", "event-id", "recipient-address", "recipient-status", "message-id"],
};

const FIELDS_PREFIX = /^#Fields:\s*/i;

/** A header line of a tracking log starts with `#`; Export-Csv of PowerShell 5.1 writes a `#TYPE …` line first. */
export function isPreamble(fields: readonly string[]): boolean {
  return (fields[0] ?? "").startsWith("#") && !FIELDS_PREFIX.test(fields[0] ?? "");
}

export function detectFormat(fields: readonly string[]): DetectedFormat {
  const msgtrk = FIELDS_PREFIX.test(fields[0] ?? "");
  const names = fields.map((f, i) => (i === 0 && msgtrk ? f.replace(FIELDS_PREFIX, "") : f));
  const columns = new Map<string, number>();
  names.forEach((name, i) => {
    const key = columnKey(name);
    if (key !== "" && !columns.has(key)) columns.set(key, i);
  });
  const has = (format: TraceFormat) => REQUIRED[format].every((name) => columns.has(columnKey(name)));
  const width = names.length;
  if (msgtrk) {
    if (has("msgtrk")) return { ok: true, format: "msgtrk", columns, width };
    return { ok: false, message: `has a #Fields: line without ${missing("msgtrk", columns)}, so it is not an Exchange Server message tracking log` };
  }
  // The detail's columns include the summary's MessageTraceId and RecipientAddress: test it first.
  if (has("detail")) return { ok: true, format: "detail", columns, width };
  if (has("v2")) return { ok: true, format: "v2", columns, width };
  if (has("report")) return { ok: true, format: "report", columns, width };
  if (columns.has(columnKey("origin_timestamp_utc"))) {
    return { ok: false, message: "is the admin center's summary report, which lists messages without their events; download the extended report instead" };
  }
  const seen = names.slice(0, 5).map((n) => JSON.stringify(n.slice(0, 40))).join(", ");
  return {
    ok: false,
    message:
      `is not a message trace export: its header (${seen}${names.length > 5 ? ", …" : ""}) has none of the expected column sets: ` +
      `Get-MessageTraceV2 | Export-Csv (${REQUIRED.v2.join(", ")}), Get-MessageTraceDetailV2 | Export-Csv (${REQUIRED.detail.join(", ")}), ` +
      `the admin center's message trace report (${REQUIRED.report.join(", ")}, …) or an Exchange Server tracking log (MSGTRK*.log with a #Fields: line)`,
  };
}

/** `recipient-status`, `recipient_status` and `RecipientStatus` are one column. */
export function columnKey(name: string): string {
  return name.trim().replace(/[-_\s]/g, "").toLowerCase();
}

function missing(format: TraceFormat, columns: ReadonlyMap<string, number>): string {
  return REQUIRED[format].filter((name) => !columns.has(columnKey(name))).join(", ");
}
