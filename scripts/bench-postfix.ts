/** The Postfix part of npm run bench: lines per second through the importer, against the same events through the API path */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { once } from "node:events";
import { POSTFIX_BENCH_CONNECTORS, postfixLogChunks } from "@/lib/bench/postfix-log";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ingestEvents } from "@/lib/events/ingest";
import type { EventInput } from "@/lib/events/schemas";
import { newPostfixState, PostfixCorrelator } from "@/lib/sources/postfix/correlate";
import { startYearClock } from "@/lib/sources/postfix/line";
import { postfixRouter } from "@/lib/sources/postfix/route";
import { readPostfixLog } from "@/lib/sources/postfix/follow";

// One run, two fresh databases: the log read by `readPostfixLog` (parse, correlate, ingest in the
// chunk's transaction, position committed) and the same events, correlated beforehand, sent
// through `ingestEvents` in batches of 1,000 as the API does. Both rates come from one run on one
// machine, so their ratio is what compares. BENCH_POSTFIX_MESSAGES sets the size (5 lines and 2
// events a message; 1,250,000 messages is about a 1 GB log).

type Create = (name: string) => Promise<{ url: string; drop: () => Promise<void> }>;

export async function postfixFigures(createDatabase: Create, now: number): Promise<Record<string, unknown>> {
  const messages = Number(process.env.BENCH_POSTFIX_MESSAGES ?? 50_000);
  const start = now - messages * 2_000 - 3_600_000;
  const dir = await mkdtemp(path.join(os.tmpdir(), "mf-bench-postfix-"));
  const file = path.join(dir, "maillog");
  const [importer, api] = await Promise.all([createDatabase("postfix"), createDatabase("api")]);
  const dbs: Db[] = [];
  try {
    await writeLog(file, messages, start);
    const size = (await stat(file)).size;
    const [dbImport, dbApi] = await Promise.all([prepare(importer.url), prepare(api.url)]).then((pair) => (dbs.push(...pair), pair));

    const heap = peakHeap();
    const started = performance.now();
    const read = await readPostfixLog(dbImport, file, { timeZone: "UTC" });
    const importSeconds = (performance.now() - started) / 1000;
    const importPeakHeapMb = heap.stop();

    const events = await correlate(file, dbApi);
    const apiStarted = performance.now();
    for (let i = 0; i < events.length; i += 1_000) {
      const r = await ingestEvents(dbApi, events.slice(i, i + 1_000));
      if (r.rejected.length > 0) throw new Error(`postfix bench events rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    }
    const apiSeconds = (performance.now() - apiStarted) / 1000;
    const eventsPerSec = read.events / importSeconds;
    const apiEventsPerSec = events.length / apiSeconds;
    return {
      postfixMessages: messages,
      postfixLogMb: round(size / 1e6),
      postfixLines: read.lines,
      postfixEvents: read.events,
      postfixLinesPerSec: round(read.lines / importSeconds),
      postfixEventsPerSec: round(eventsPerSec),
      postfixSameEventsViaApiPerSec: round(apiEventsPerSec),
      postfixToApiRatio: round(eventsPerSec / apiEventsPerSec, 3),
      postfixImportPeakHeapGrowthMb: importPeakHeapMb,
    };
  } finally {
    await Promise.all(dbs.map((db) => closeDb(db)));
    await Promise.all([importer.drop(), api.drop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function prepare(url: string): Promise<Db> {
  await migrate(url);
  const db = createDb(url, 4);
  await db.connector.createMany({ data: POSTFIX_BENCH_CONNECTORS.map((c) => ({ ...c, queueLifetimeMinutes: 7_200 })) });
  return db;
}

async function writeLog(file: string, messages: number, start: number): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of postfixLogChunks(messages, start)) if (!out.write(chunk)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

/** The events the importer makes of the log, made beforehand for the API path. */
async function correlate(file: string, db: Db): Promise<EventInput[]> {
  const connectors = await db.connector.findMany({ select: { id: true, enabled: true, retiredAt: true, recipientDomains: true, smartHosts: true } });
  const route = postfixRouter(connectors.map((c) => ({ ...c, retired: c.retiredAt !== null })));
  const correlator = new PostfixCorrelator(newPostfixState(startYearClock(new Date())), { route, timeZone: "UTC" });
  const events: EventInput[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) events.push(...correlator.feed(line));
  return events;
}

/** The heap's growth over what the bench held before the import (its earlier figures' data included). */
function peakHeap() {
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 100);
  return { stop: () => (clearInterval(timer), round((peak - base) / 1e6)) };
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
