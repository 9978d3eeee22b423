/** npm run bench: ingest and read-path figures on a database of its own; prints one JSON line */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { createApiToken } from "@/lib/auth/tokens";
import { createUser } from "@/lib/auth/users";
import { benchConnectors, benchEvents } from "@/lib/bench/events";
import { traceSamples, traceSearchUrls } from "@/lib/bench/trace";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { checkpointRecentFolds } from "@/lib/events/fold-checkpoint";
import { ingestEvents } from "@/lib/events/ingest";
import { normalizeEvent } from "@/lib/events/normalize";
import type { EventInput } from "@/lib/events/schemas";
import { readGaugeSnapshot } from "@/lib/metrics/gauges";
import { exportFigures } from "./bench-export";
import { httpIngestFigures } from "./bench-http-ingest";
import { postfixFigures } from "./bench-postfix";
import { retentionFigures } from "./bench-retention";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SAMPLE = Number(process.env.BENCH_COPY_SAMPLE ?? 100_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const BATCH = 1000;
const PORT = Number(process.env.BENCH_PORT ?? 3199);
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const HOUR = 3600_000;
const BENCH_PASSWORD = randomBytes(12).toString("hex");
const METRICS_TOKEN = randomBytes(24).toString("hex");
// Set once the server runs: the ingest token and the signed-in reader's cookie.
const auth = { token: "", cookie: "" };

async function main() {
  const now = Date.now();
  const name = `mf_bench_${now.toString(36)}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = withDatabase(SERVER_URL, name);
  const figures: Record<string, unknown> = { events: TOTAL, copySample: SAMPLE, rounds: ROUNDS, batch: BATCH };
  let server: ChildProcess | undefined;
  const db = createDb(url, 4);
  try {
    await migrate(url);
    const connectors = benchConnectors(12);
    const ids = new Map<string, number>();
    for (const c of connectors) ids.set(c.name, (await db.connector.create({ data: { ...c, smartHosts: ["mx.example"], recipientDomains: ["*"] } })).id);

    // The whole feed through the app's ingest, 1,000 events a batch, as a live feed sends them;
    // the rate of the first million is noted on the way, so one run compares growth with size.
    const feed = benchEvents({ total: TOTAL, from: now - 7 * 24 * HOUR, to: now - HOUR, connectors, seed: 7 });
    const memory = sampleRss();
    const firstMillion = Math.min(TOTAL, 1_000_000);
    const ingestSeconds = await timed(() => ingestAll(db, batches(feed), (done, seconds) => {
      if (done === firstMillion) figures.ingestFirstMillionRowsPerSec = round(done / seconds);
      if (done % 1_000_000 === 0) console.error(`ingested ${done} events in ${round(seconds)} s`);
    }));
    figures.ingestAllRowsPerSec = round(TOTAL / ingestSeconds);
    figures.ingestAllToFirstMillionRatio = round(figures.ingestAllRowsPerSec as number / (figures.ingestFirstMillionRowsPerSec as number), 3);
    figures.benchProcessPeakRssMb = memory.stop();
    // What autovacuum does on a live database: statistics and the visibility map (index-only scans).
    await db.$executeRawUnsafe(`VACUUM ANALYZE`);
    // The hourly chain of fold checkpoints, as the server's job keeps it while events arrive (docs/grouping.md).
    figures.foldCheckpointChainSeconds = round(await timed(() => checkpointRecentFolds(db, new Date(), { retentionHorizon: new Date(now - 90 * 24 * HOUR) })), 1);

    // Ingest against raw COPY of the same rows into the table at its full size: ROUNDS pairs (a
    // shared machine's speed drifts, and the median pair's ratio is steadier than one pair's).
    // Each round's SAMPLE events belong to twelve connectors of its own, spread over the same
    // week (so they land in the same partitions and indexes); COPY goes first, its rows are
    // deleted, then ingest stores the same rows with everything it keeps beside them.
    const rounds: { copy: number; ingest: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const own = connectors.map((c) => ({ ...c, name: `${c.name} round ${r + 1}` }));
      for (const c of own) ids.set(c.name, (await db.connector.create({ data: { ...c, smartHosts: ["mx.example"], recipientDomains: ["*"] } })).id);
      const sample = [...benchEvents({ total: SAMPLE, from: now - 7 * 24 * HOUR, to: now - HOUR, connectors: own, seed: 100 + r, idPrefix: `round${r + 1}` })];
      const copySeconds = await timed(() => copyEvents(url, sample, ids, "bench-copy"));
      await db.$executeRawUnsafe(`DELETE FROM "DeliveryEvent" WHERE source = 'bench-copy'`);
      const seconds = await timed(() => ingestAll(db, batches(sample)));
      rounds.push({ copy: SAMPLE / copySeconds, ingest: SAMPLE / seconds });
    }
    const ratio = (r: { copy: number; ingest: number }) => r.ingest / r.copy;
    const median = [...rounds].sort((a, b) => ratio(a) - ratio(b))[Math.floor(rounds.length / 2)]!;
    figures.copyRowsPerSecAtFullSize = round(median.copy);
    figures.ingestRowsPerSecAtFullSize = round(median.ingest);
    figures.ingestToCopyRatioAtFullSize = round(ratio(median), 3);
    figures.ingestToCopyRatiosAtFullSize = rounds.map((r) => round(ratio(r), 3));
    await db.$executeRawUnsafe(`VACUUM ANALYZE "DeliveryEvent"`);
    figures.stored = {
      events: await db.deliveryEvent.count(),
      alerts: await db.alert.count(),
      messages: await db.queuedMessage.count(),
    };

    console.error(`ingest figures: ${JSON.stringify(figures)}`);
    // Run last: its new events move every connector's clock to a minute ago, and later figures would replay.
    const retention = async () => {
      if (process.env.BENCH_RETENTION === "0") return;
      Object.assign(figures, await retentionFigures(db, connectors, (events) => copyEvents(url, events, ids), now));
      console.error(`retention figures: ${JSON.stringify(figures)}`);
    };
    if (process.env.BENCH_POSTFIX !== "0") {
      Object.assign(figures, await postfixFigures(async (suffix) => {
        const db = `${name}_${suffix}`;
        await admin(`CREATE DATABASE "${db}"`);
        return { url: withDatabase(SERVER_URL, db), drop: () => admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`) };
      }, now));
      console.error(`postfix figures: ${JSON.stringify(figures)}`);
    }
    if (process.env.BENCH_READS === "0") return await retention();
    server = await startServer(url);
    await signInForBench(db);
    Object.assign(figures, await httpIngestFigures({ baseUrl: `http://127.0.0.1:${PORT}`, token: auth.token, metricsToken: METRICS_TOKEN, serverPid: server.pid! }, connectors, now));
    Object.assign(figures, await readLatencies(db, now));
    Object.assign(figures, await traceLatencies(db, now));
    Object.assign(figures, await exportFigures(db, `http://127.0.0.1:${PORT}`, auth.cookie, server.pid!));
    await retention();
  } finally {
    server?.kill("SIGTERM");
    await closeDb(db);
    if (process.env.BENCH_KEEP !== "1") await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await report(figures);
  }
}

async function report(figures: Record<string, unknown>) {
  const line = JSON.stringify(figures);
  await mkdir("bench-results", { recursive: true });
  await writeFile("bench-results/latest.json", line + "\n");
  console.log(line);
}

async function ingestAll(db: Db, source: Iterable<EventInput[]>, progress?: (done: number, seconds: number) => void) {
  const started = performance.now();
  let done = 0;
  for (const batch of source) {
    const r = await ingestEvents(db, batch);
    if (r.rejected.length > 0) throw new Error(`bench events rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    done += batch.length;
    progress?.(done, (performance.now() - started) / 1000);
  }
}

async function copyEvents(url: string, events: Iterable<EventInput>, ids: Map<string, number>, source = "bench") {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const stream = client.query(copyFrom(`COPY "DeliveryEvent" ("clientId","source","occurredAt","connectorId","messageId","sender","recipient",
      "recipientDomain","status","smtpStatus","errorCode","errorDetails","destination") FROM STDIN WITH (FORMAT csv)`));
    const rows = function* () {
      for (const input of events) {
        const e = normalizeEvent(input);
        yield [e.clientId, source, e.occurredAt.toISOString(), ids.get(String(input.connector)), e.messageId, e.sender, e.recipient,
          e.recipientDomain, e.status, e.smtpStatus, e.errorCode, e.errorDetails, e.destination].map(csv).join(",") + "\n";
      }
    };
    await pipeline(Readable.from(rows()), stream);
  } finally {
    await client.end();
  }
}

async function startServer(url: string): Promise<ChildProcess> {
  if (!existsSync(".next/BUILD_ID")) await run("node", ["node_modules/next/dist/bin/next", "build"]);
  const child = spawn("node", ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT)], {
    // No scheduled probes: the bench's smart hosts are made up, and no name may go to the machine's resolver.
    env: {
      ...process.env, DATABASE_URL: url, DB_POOL_MAX: "10", AUTH_SECRET: randomBytes(32).toString("hex"), AUTH_URL: `http://127.0.0.1:${PORT}`, METRICS_TOKEN,
      PROBE_INTERVAL_MINUTES: "0", PROBE_DNS_SERVERS: "127.0.0.1:9",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/api/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    await sleep(200);
  }
  child.kill();
  throw new Error("the bench server did not start");
}

/** An ingest token and a viewer's session, as real clients have. */
async function signInForBench(db: Db) {
  auth.token = (await createApiToken(db, COMMAND_LINE_ACTOR, "bench")).token;
  const email = "bench@example.test";
  await createUser(db, COMMAND_LINE_ACTOR, { email, name: "Bench", role: "VIEWER", password: BENCH_PASSWORD });
  const res = await fetch(`http://127.0.0.1:${PORT}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: `http://127.0.0.1:${PORT}` },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  auth.cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function readLatencies(db: Db, now: number) {
  const alerts = await db.alert.findMany({ select: { id: true }, orderBy: { eventCount: "desc" }, take: 50 });
  const connectors = await db.connector.findMany({ select: { id: true } });
  const codes = ["4.4.316", "4.7.320", "4.4.312"];
  const listUrls = [
    "/api/alerts", "/api/alerts?status=all", "/api/alerts?status=resolved&sort=firstSeen", "/api/alerts?sort=queued",
    "/api/alerts?q=refused", ...codes.map((c) => `/api/alerts?status=all&code=${c}`),
    ...connectors.slice(0, 4).map((c) => `/api/alerts?status=all&connector=${c.id}`),
  ];
  const from = new Date(now - 7 * 24 * HOUR).toISOString();
  const to = new Date(now).toISOString();
  const from90 = new Date(now - 90 * 24 * HOUR).toISOString();
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  return {
    alertsListP95Ms: await p95((i) => pick(listUrls, i)),
    alertDetailP95Ms: await p95((i) => `/api/alerts/${pick(alerts, i).id}`),
    connectorHistory7dHourlyP95Ms: await p95((i) => `/api/connectors/${pick(connectors, i).id}/history?from=${from}&to=${to}&bucket=hour`),
    connectorHistory90dDailyP95Ms: await p95((i) => `/api/connectors/${pick(connectors, i).id}/history?from=${from90}&to=${to}&bucket=day`),
    alertsPageTtfbP95Ms: await p95(() => "/", 60),
    alertDetailPageTtfbP95Ms: await p95((i) => `/alerts/${pick(alerts, i).id}`, 60),
    // A Prometheus scrape as it is served (gauges reused for METRICS_CACHE_SECONDS), and the
    // gauges' database read itself, uncached, which a scrape pays once per period.
    metricsScrapeP95Ms: await p95(() => "/api/metrics", 200, { authorization: `Bearer ${METRICS_TOKEN}` }),
    metricsGaugeReadP95Ms: await timedP95(() => readGaugeSnapshot(db)),
  };
}

/**
 * Message-trace searches over the bench's whole week (GET /api/trace, as the page asks): p50 and
 * p95 per kind, and of the second page (the keyset continuation) of sender, @domain and code searches.
 */
async function traceLatencies(db: Db, now: number) {
  const urls = traceSearchUrls(await traceSamples(db), new Date(now - 7 * 24 * HOUR).toISOString(), new Date(now).toISOString());
  const figures: Record<string, number> = {};
  for (const [kind, list] of Object.entries(urls)) {
    [figures[`trace_${kind}P50Ms`], figures[`trace_${kind}P95Ms`]] = await percentiles((i) => list[i % list.length]!);
  }
  const seconds: string[] = [];
  for (const first of [...urls.sender, ...urls.domain, ...urls.code]) {
    const res = await fetch(`http://127.0.0.1:${PORT}${first}`, { headers: { cookie: auth.cookie } });
    const { nextCursor } = (await res.json()) as { nextCursor: string | null };
    if (nextCursor) seconds.push(`${first}&cursor=${nextCursor}`);
  }
  [figures.trace_secondPageP50Ms, figures.trace_secondPageP95Ms] = await percentiles((i) => seconds[i % seconds.length]!);
  console.error(`trace figures: ${JSON.stringify(figures)}`);
  return figures;
}

/** p50 and p95 of GET `url(i)`'s time to the whole answer, after a warm-up. */
async function percentiles(url: (i: number) => string, n = 200): Promise<[number, number]> {
  const times: number[] = [];
  for (let i = -10; i < n; i++) {
    const start = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}${url(i + 10)}`, { headers: { cookie: auth.cookie } });
    if (!res.ok) throw new Error(`${url(i + 10)} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    if (i >= 0) times.push(performance.now() - start);
  }
  const p95 = percentile95(times);
  return [round(times[Math.ceil(0.5 * times.length) - 1]!, 1), p95];
}

/** The 95th percentile of `f`'s time in this process, after a warm-up. */
async function timedP95(f: () => Promise<unknown>, n = 200): Promise<number> {
  const times: number[] = [];
  for (let i = -10; i < n; i++) {
    const start = performance.now();
    await f();
    if (i >= 0) times.push(performance.now() - start);
  }
  return percentile95(times);
}

function percentile95(times: number[]): number {
  times.sort((a, b) => a - b);
  return round(times[Math.ceil(0.95 * times.length) - 1]!, 1);
}

/** Time to response headers (first byte), 95th percentile after a warm-up. */
async function p95(url: (i: number) => string, n = 200, headers: Record<string, string> = { cookie: auth.cookie }): Promise<number | null> {
  const times: number[] = [];
  for (let i = -10; i < n; i++) {
    const start = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}${url(i + 10)}`, { headers, redirect: "manual" });
    const elapsed = performance.now() - start;
    if (res.status === 404 && !url(0).startsWith("/api/")) return null;
    if (!res.ok) throw new Error(`${url(i + 10)} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    if (i >= 0) times.push(elapsed);
  }
  return percentile95(times);
}

function sampleRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
  return { stop: () => { clearInterval(timer); return round(peak / 1024 / 1024); } };
}

function* batches<T>(source: Iterator<T> | Iterable<T>): Generator<T[]> {
  const it = Symbol.iterator in source ? source[Symbol.iterator]() : source;
  let batch: T[] = [];
  for (let r = it.next(); !r.done; r = it.next()) {
    batch.push(r.value);
    if (batch.length === BATCH) { yield batch; batch = []; }
  }
  if (batch.length > 0) yield batch;
}

function csv(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  return /[",\n\r]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s;
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await f();
  return (performance.now() - start) / 1000;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    spawn(cmd, args, { stdio: "inherit" }).once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
