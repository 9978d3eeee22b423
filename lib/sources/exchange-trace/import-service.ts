import "server-only";
import { createHash, type Hash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { TOO_OLD_PREFIX } from "@/lib/events/partitions";
import type { EventInput, IngestResult } from "@/lib/events/schemas";
import { AppError } from "@/lib/http/errors";
import { routeRecipientDomain } from "@/lib/organisation/route-match";
import { SOURCE_OF, type Header } from "@/lib/sources/exchange-trace/formats";
import { mapRow, type ConnectorResolver } from "@/lib/sources/exchange-trace/map-row";
import { readTraceItems, TraceRefusal } from "@/lib/sources/exchange-trace/read";
import type { TraceImportSummary } from "@/lib/sources/exchange-trace/schemas";
import type { SkipReason } from "@/lib/sources/exchange-trace/skip-reasons";

// Imports one trace file (docs/trace-import.md): rows are read as they stream in, mapped to wire
// events and ingested in batches through ingestEvents, the one ingest path; the row keys make a
// repeated or overlapping file add nothing. Each run is recorded in EventSource (kind
// "exchange-trace", named by the file's name and digest). A refused file changes no event.

export const TRACE_SOURCE_KIND = "exchange-trace";
export const TRACE_BATCH = 1000;

export type TraceFile = Readonly<{ name: string; chunks: AsyncIterable<Uint8Array> }>;
export type TraceProgress = Readonly<{ bytesRead: number; rowsRead: number; eventsMade: number }>;
export type TraceImportOptions = { onProgress?: (progress: TraceProgress) => void; batchSize?: number; now?: Date };

export async function importTrace(db: Db, file: TraceFile, options: TraceImportOptions = {}): Promise<TraceImportSummary> {
  const connectors = await connectorResolver(db);
  const hash = createHash("sha256");
  const counted = { bytes: 0 };
  const bytes = hashed(file.chunks, hash, counted);
  const run = new Run(fileLabel(file.name));
  const progress = () => options.onProgress?.({ bytesRead: counted.bytes, rowsRead: run.summary.rowsRead, eventsMade: run.summary.eventsMade });
  let batch: EventInput[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    run.count(await ingestEvents(db, batch, { source: run.summary.source, now: options.now }));
    batch = [];
    progress();
  };
  try {
    for await (const item of readTraceItems(bytes)) {
      if (item.kind === "header") run.start(item.header);
      else if (item.kind === "malformed") run.skip("malformed", true);
      else {
        run.summary.rowsRead++;
        for (const outcome of mapRow(run.header!, item.fields, connectors)) {
          if ("skip" in outcome) run.skip(outcome.skip, false);
          else {
            batch.push(outcome.event);
            run.seen(outcome.occurredAt);
          }
        }
        if (batch.length >= (options.batchSize ?? TRACE_BATCH)) await flush();
      }
    }
    await flush();
  } catch (error) {
    if (!(error instanceof TraceRefusal)) throw error;
    // A file refused part way (its CSV breaks down) keeps the rows read before that point.
    await flush();
    // The rest is read only for the digest that names the file in its record.
    for await (const chunk of bytes) void chunk;
    const partly = run.summary.eventsMade + run.summary.duplicates > 0;
    const message = `${run.summary.file} ${error.message}. ${partly ? "The rows before it were imported." : "Nothing was imported."}`;
    await record(db, run, hash.digest("hex"), counted.bytes, message);
    throw new AppError({ code: "bad_request", status: 400, message });
  }
  await record(db, run, hash.digest("hex"), counted.bytes, null);
  return run.summary;
}

/** The counts of one run; `header` is set once the file's header has been read. */
class Run {
  summary: TraceImportSummary;
  header: Header | null = null;

  constructor(name: string) {
    this.summary = { file: name, format: "v2", source: SOURCE_OF.v2, rowsRead: 0, eventsMade: 0, duplicates: 0, skipped: {}, lastLineAt: null };
  }

  start(header: Header) {
    this.header = header;
    this.summary.format = header.format;
    this.summary.source = SOURCE_OF[header.format];
  }

  skip(reason: SkipReason, isRow: boolean) {
    if (isRow) this.summary.rowsRead++;
    this.summary.skipped[reason] = (this.summary.skipped[reason] ?? 0) + 1;
  }

  seen(occurredAt: string) {
    if (this.summary.lastLineAt === null || occurredAt > this.summary.lastLineAt) this.summary.lastLineAt = occurredAt;
  }

  count(result: IngestResult) {
    this.summary.eventsMade += result.accepted;
    this.summary.duplicates += result.duplicates;
    for (const r of result.rejected) this.skip(rejectionReason(r), false);
  }
}

function rejectionReason(r: IngestResult["rejected"][number]): SkipReason {
  if (r.field === "occurredAt" && r.message === "is in the future") return "future";
  if (r.field === "occurredAt" && r.message.startsWith(TOO_OLD_PREFIX)) return "too-old";
  if (r.field === "connector") return "retired-connector";
  return "rejected";
}

/** Connectors by name (retired ones too, so ingest names the retirement) and by recipient domain. */
async function connectorResolver(db: Db): Promise<ConnectorResolver> {
  const rows = await db.connector.findMany({ select: { id: true, name: true, enabled: true, retiredAt: true, recipientDomains: true }, orderBy: { id: "asc" } });
  const routable = rows.map((c) => ({ ...c, retired: c.retiredAt !== null }));
  const byName = new Map(rows.map((c) => [c.name.toLowerCase(), c]));
  return {
    byName: (name) => byName.get(name.trim().toLowerCase()) ?? null,
    byRecipientDomain: (domain) => routeRecipientDomain(domain, routable),
  };
}

async function* hashed(chunks: AsyncIterable<Uint8Array>, hash: Hash, counted: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    counted.bytes += chunk.byteLength;
    yield chunk;
  }
}

/** One EventSource row per file (its name and digest): a file imported again updates it. */
async function record(db: Db, run: Run, digest: string, size: number, error: string | null): Promise<void> {
  const s = run.summary;
  const name = `${s.file} (sha256 ${digest.slice(0, 16)})`;
  const now = new Date();
  const counts = {
    linesRead: BigInt(s.rowsRead),
    skipped: s.skipped,
    lastLineAt: s.lastLineAt ? new Date(s.lastLineAt) : null,
    lastReadAt: now,
    lastError: error,
    lastErrorAt: error ? now : null,
    state: { format: run.header ? s.format : null, bytes: size, digest, duplicates: s.duplicates },
  };
  await db.eventSource.upsert({
    where: { kind_name: { kind: TRACE_SOURCE_KIND, name } },
    create: { kind: TRACE_SOURCE_KIND, name, eventsMade: BigInt(s.eventsMade), ...counts },
    update: { eventsMade: { increment: BigInt(s.eventsMade) }, ...counts },
  });
}

/** A file's name for messages and its record: its last path segment, printable and short. */
function fileLabel(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "").trim();
  if (base === "") return "the file";
  return base.length > 100 ? `${base.slice(0, 97)}…` : base;
}
