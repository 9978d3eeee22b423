import { AppError } from "@/lib/http/errors";
import { mediaTypeOf, parseJson, readText } from "@/lib/http/body";
import { MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES } from "@/lib/events/schemas";

// Turns a request body into a list of raw events (validated later, one by one).
export type ParsedBody = { events: unknown[]; lineErrors: { index: number; field: string; message: string }[] };

export const NDJSON_TYPES = ["application/x-ndjson", "application/ndjson", "application/jsonl"];

/** The events of a POST /api/events body: JSON or NDJSON by media type (415 otherwise), at most MAX_REQUEST_BYTES. */
export async function readEventsBody(req: Request): Promise<ParsedBody> {
  const kind = eventsKindOf(req.headers.get("content-type"));
  if (!kind) {
    throw new AppError({ code: "unsupported_media_type", status: 415, message: "Send the events as application/json or application/x-ndjson." });
  }
  return parseEventsBody(await readText(req, MAX_REQUEST_BYTES, "split it into smaller requests"), kind);
}

function parseEventsBody(text: string, kind: "json" | "ndjson"): ParsedBody {
  const parsed = kind === "json" ? parseJsonBody(text) : parseNdjson(text);
  if (parsed.events.length + parsed.lineErrors.length === 0) {
    throw new AppError({ code: "bad_request", status: 400, message: "The body holds no events: send an event object, an array of events or NDJSON lines." });
  }
  if (parsed.events.length + parsed.lineErrors.length > MAX_EVENTS_PER_REQUEST) {
    throw new AppError({
      code: "payload_too_large",
      status: 413,
      message: `At most ${MAX_EVENTS_PER_REQUEST} events per request; split the batch (npm run ingest streams files of any size).`,
    });
  }
  return parsed;
}

function parseJsonBody(text: string): ParsedBody {
  const value = parseJson(text);
  if (Array.isArray(value)) return { events: value, lineErrors: [] };
  if (value !== null && typeof value === "object") return { events: [value], lineErrors: [] };
  throw new AppError({ code: "bad_request", status: 400, message: "Expected an event object or an array of events." });
}

/** One event per line; a line that is not JSON is rejected on its own, not the whole body. */
export function parseNdjson(text: string, firstIndex = 0): ParsedBody {
  const events: unknown[] = [];
  const lineErrors: ParsedBody["lineErrors"] = [];
  let index = firstIndex;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      lineErrors.push({ index, field: "(line)", message: "is not valid JSON" });
      events.push(undefined);
    }
    index += 1;
  }
  return { events, lineErrors };
}

function eventsKindOf(contentType: string | null): "json" | "ndjson" | null {
  const type = mediaTypeOf(contentType);
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (NDJSON_TYPES.includes(type)) return "ndjson";
  return null;
}
