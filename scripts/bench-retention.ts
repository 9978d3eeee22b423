/** The retention part of npm run bench: ingest's batch latency while the retention drops a partition full of events, against without */
import { benchEvents, type BenchConnector } from "@/lib/bench/events";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { DAY_MS, dayOf } from "@/lib/events/partitions";
import { runRetention } from "@/lib/events/retention";
import type { EventInput } from "@/lib/events/schemas";

// On the bench's database after its main ingest: a day 30 days back is filled by COPY with
// BENCH_DROP_EVENTS events (default 200,000; 1,000,000 for the figure), then batches of
// 1,000 new events are ingested and timed, first alone, then while the retention job (with a
// 20-day retention, so that day and the empty days before it go) runs. The p99 of each set and
// their ratio are reported (target: at most 2x).

type Copy = (events: Iterable<EventInput>) => Promise<void>;

const BATCH = 1000;
const BATCHES = Number(process.env.BENCH_DROP_BATCHES ?? 100);

export async function retentionFigures(db: Db, connectors: BenchConnector[], copy: Copy, now: number): Promise<Record<string, unknown>> {
  const dropEvents = Number(process.env.BENCH_DROP_EVENTS ?? 200_000);
  const day = dayOf(new Date(now - 30 * DAY_MS)).getTime();
  const copyStarted = performance.now();
  await copy(benchEvents({ total: dropEvents, from: day, to: day + DAY_MS - 1, connectors, seed: 11, idPrefix: "drop" }));
  const copySeconds = (performance.now() - copyStarted) / 1000;

  // Later than everything stored, so both sets take ingest's usual (continuing) path.
  const feed = benchEvents({ total: 2 * BATCHES * BATCH, from: now - 50 * 60_000, to: now - 60_000, connectors, seed: 13, idPrefix: "live" });
  const next = () => Array.from({ length: BATCH }, () => feed.next().value as EventInput);
  const alone = await timeBatches(db, next, BATCHES);

  const started = performance.now();
  let dropSeconds = 0;
  const retention = runRetention(db, { now: new Date(now), eventDays: 20 }).then((r) => {
    dropSeconds = (performance.now() - started) / 1000;
    return r;
  });
  let done = false;
  retention.then(() => { done = true; }, () => { done = true; });
  const during = await timeBatches(db, next, BATCHES, () => done);
  const result = await retention;
  const p99 = (times: number[]) => percentile(times, 0.99);
  return {
    retentionDropPartitionEvents: dropEvents,
    retentionDropCopySeconds: round(copySeconds),
    retentionRunSeconds: round(dropSeconds),
    retentionPartitionsDropped: result.dropped.length,
    ingestBatchP99MsAlone: round(p99(alone)),
    ingestBatchP99MsDuringDrop: round(p99(during)),
    ingestBatchP99DropRatio: round(p99(during) / p99(alone), 2),
    ingestBatchesDuringDrop: during.length,
  };
}

/** Times `n` batches, or more while `until` says the retention still runs. */
async function timeBatches(db: Db, next: () => EventInput[], n: number, until: () => boolean = () => true): Promise<number[]> {
  const times: number[] = [];
  while (times.length < n || !until()) {
    const batch = next();
    if (batch.some((e) => e === undefined)) break;
    const started = performance.now();
    const r = await ingestEvents(db, batch);
    times.push(performance.now() - started);
    if (r.rejected.length > 0) throw new Error(`bench events rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  return times;
}

function percentile(times: number[], q: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function round(n: number, digits = 1): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}
