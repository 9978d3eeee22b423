import { createHash } from "node:crypto";
import type { TraceFormat } from "@/lib/sources/exchange-trace/formats";

// Pure: the client id of an event made from a trace row (ingest's idempotency key). Each is built
// from what identifies the row in every export that holds it, never from its place in the file, so
// importing the same file again, or a later export that overlaps it, gives the same ids
// (docs/trace-import.md, "Row keys"):
//   v2      trace:<MessageTraceId>:<recipient>:<status>:<Received>
//   detail  trace-detail:<MessageTraceId>:<recipient>:<event>:<Date>
//   report  report:<network_message_id>:<recipient>:<event_id>:<date_time_utc>
//   msgtrk  msgtrk:<client-hostname>:<server-hostname>:<internal-message-id>:<recipient>:<event-id>:<date-time>
// Times are the normalised instant, so exports written under different cultures agree. A key over
// ingest's 200 characters keeps its prefix and replaces the rest by its SHA-256.

const PREFIX: Readonly<Record<TraceFormat, string>> = { v2: "trace", detail: "trace-detail", report: "report", msgtrk: "msgtrk" };
const MAX_KEY = 200;

export function rowKey(format: TraceFormat, parts: readonly string[]): string {
  const key = [PREFIX[format], ...parts].join(":");
  if (key.length <= MAX_KEY) return key;
  return `${PREFIX[format]}:sha256:${createHash("sha256").update(parts.join("\u0000")).digest("hex")}`;
}
