import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import StreamJson from "stream-json";
import StreamArray from "stream-json/streamers/StreamArray.js";
import { parseNdjson, type ParsedBody } from "@/lib/events/parse-body";

export type EventBatch = ParsedBody & { firstIndex: number };

/**
 * Streams a file of events in batches without holding it in memory: a JSON array (by its first
 * character) through stream-json, anything else as NDJSON. Indexes count from the file's start,
 * batch-relative in each batch (add firstIndex).
 */
export async function* readEventFile(path: string, stream: Readable, batchSize: number): AsyncGenerator<EventBatch> {
  const first = await firstNonSpace(path);
  if (first === "[" || (first === "{" && path.endsWith(".json"))) yield* readJsonArray(stream, first, batchSize);
  else yield* readNdjson(stream, batchSize);
}

async function* readJsonArray(stream: Readable, first: string, batchSize: number): AsyncGenerator<EventBatch> {
  if (first === "{") {
    let text = "";
    for await (const chunk of stream) text += String(chunk);
    yield { events: [JSON.parse(text)], lineErrors: [], firstIndex: 0 };
    return;
  }
  const items = stream.pipe(StreamJson.parser()).pipe(StreamArray.streamArray());
  let events: unknown[] = [];
  let firstIndex = 0;
  for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
    events.push(item.value);
    if (events.length === batchSize) {
      yield { events, lineErrors: [], firstIndex };
      firstIndex += events.length;
      events = [];
    }
  }
  if (events.length > 0) yield { events, lineErrors: [], firstIndex };
}

async function* readNdjson(stream: Readable, batchSize: number): AsyncGenerator<EventBatch> {
  let lines: string[] = [];
  let firstIndex = 0;
  const flush = (): EventBatch => {
    const parsed = parseNdjson(lines.join("\n"));
    const batch = { ...parsed, firstIndex };
    firstIndex += parsed.events.length;
    lines = [];
    return batch;
  };
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    lines.push(line);
    if (lines.length === batchSize) yield flush();
  }
  if (lines.length > 0) yield flush();
}

async function firstNonSpace(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(4096);
    for (let position = 0; ; position += buffer.length) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return "";
      const match = /\S/.exec(buffer.subarray(0, bytesRead).toString("utf8"));
      if (match) return match[0];
    }
  } finally {
    await handle.close();
  }
}
