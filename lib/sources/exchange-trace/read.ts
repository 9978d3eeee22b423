import { Parser } from "csv-parse";
import { detectEncoding, ENCODING_SNIFF_BYTES } from "@/lib/text/encoding";
import { detectFormat, isPreamble, type Header } from "@/lib/sources/exchange-trace/formats";

// Streams a trace file's rows with bounded memory: bytes in, decoded as the head's encoding says,
// through csv-parse (quoted fields with commas and line breaks, as Export-Csv writes them), one
// record at a time. Nothing holds more than a chunk and one record (at most MAX_RECORD_BYTES): a
// line that runs on (a quote never closed, binary junk) is cut there, skipped and counted.
// An unreadable encoding or a header of another export is refused before any row is read.

export type TraceItem = { kind: "header"; header: Header } | { kind: "row"; fields: string[] } | { kind: "malformed" };

/** Refused as a whole: the message says what the file is and what was expected. */
export class TraceRefusal extends Error {}

export const MAX_RECORD_BYTES = 256 * 1024;
/** `#TYPE …` and a tracking log's `#Software:`, `#Version:`, `#Log-type:`, `#Date:` lines come before the header. */
const MAX_PREAMBLE_LINES = 20;

export async function* readTraceItems(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<TraceItem> {
  const iterator = chunks[Symbol.asyncIterator]();
  const { head, done } = await readHead(iterator);
  const encoding = detectEncoding(head, "save the export as it was downloaded, or as UTF-8 or UTF-16");
  if (!encoding.ok) throw new TraceRefusal(encoding.message);

  const decoder = new TextDecoder(encoding.name, { fatal: false, ignoreBOM: true });
  const queue: TraceItem[] = [];
  let failure: Error | null = null;
  const parser = new Parser({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  parser.on("data", (fields: string[]) => queue.push({ kind: "row", fields }));
  parser.on("skip", () => queue.push({ kind: "malformed" }));
  parser.on("error", (error: Error) => (failure = error));

  const header = { found: false, preamble: 0 };
  const drain = function* (): Generator<TraceItem> {
    if (failure) throw new TraceRefusal(`cannot be read as CSV: ${(failure as Error).message.slice(0, 200)}`);
    for (const item of queue.splice(0)) {
      if (header.found) yield item;
      else yield* headerOf(item, header);
    }
  };

  parser.write(decoder.decode(head.subarray(encoding.bomLength), { stream: true }));
  yield* drain();
  if (!done) {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      parser.write(decoder.decode(next.value, { stream: true }));
      yield* drain();
    }
  }
  await new Promise<void>((resolve) => parser.end(decoder.decode(), () => resolve()));
  yield* drain();
  if (!header.found) throw new TraceRefusal("has no header line: it is empty or holds only comment lines");
}

function* headerOf(item: TraceItem, state: { found: boolean; preamble: number }): Generator<TraceItem> {
  if (item.kind !== "row") throw new TraceRefusal("does not start with a header line that can be read");
  if (isPreamble(item.fields)) {
    if (++state.preamble > MAX_PREAMBLE_LINES) throw new TraceRefusal(`starts with more than ${MAX_PREAMBLE_LINES} comment lines and no header`);
    return;
  }
  const format = detectFormat(item.fields);
  if (!format.ok) throw new TraceRefusal(format.message);
  state.found = true;
  yield { kind: "header", header: { format: format.format, columns: format.columns, width: format.width } };
}

/** The first ENCODING_SNIFF_BYTES (or the whole of a shorter file), for the encoding. */
async function readHead(iterator: AsyncIterator<Uint8Array>): Promise<{ head: Uint8Array; done: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < ENCODING_SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(parts), done: true };
    parts.push(next.value);
    size += next.value.byteLength;
  }
  return { head: Buffer.concat(parts), done: false };
}
