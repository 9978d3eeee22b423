import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/tokens";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { webhookSecret } from "@/lib/notify/channels/webhook";
import type { EventInput, IngestResult } from "@/lib/events/schemas";
import { testActor } from "@/tests/helpers/actors";
import { copyBuild, freePort, startAppServer, type AppServer, type BuildCopy } from "@/tests/helpers/app-server";
import { buildEvent } from "@/tests/helpers/factories";
import { chunk, groupingSnapshot, shuffle } from "@/tests/helpers/grouping-order";
import { createChannel, createRule } from "@/tests/helpers/notify";
import { startReceiver, type Receiver } from "@/tests/helpers/notify-receiver";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Issue 15, several instances (docs/jobs.md, "Several instances"): real `next start` servers on
// one database, ingesting over HTTP at once, must end with exactly the events, queues and alerts
// one pass of the same events gives on a fresh database; and every periodic job must run on one
// instance at a time, also after the leader is killed with SIGKILL. The servers log each job
// run's start and end (JOBS_LOG_RUNS=on); those lines are the trace this test reads.

const POLL_SECONDS = 0.5;
const BATCH = 50;
/** Jobs instrumentation.ts registers with a Postfix log, probes and notifications configured (at least these). */
const JOBS = ["sweep", "probe", "postfix", "source-silence", "notify-route", "notify-deliver", "notify-alertmanager-resend"];
const INGEST_CONNECTORS = ["Edge A", "Edge B", "Partner C"];
const CODES = [
  { status: "deferred", errorCode: "450 4.4.316", errorDetails: "450 4.4.316 Connection refused" },
  { status: "deferred", errorCode: "451 4.7.500", errorDetails: "451 4.7.500 Server busy" },
  { status: "failed", errorCode: "550 5.7.1", errorDetails: "550 5.7.1 Relaying denied" },
] as const;

let multi: TestDatabase;
let single: TestDatabase;
let receiver: Receiver;
let build: BuildCopy | undefined;
let logDir: string;
let serverEnv: Record<string, string>;
const servers: AppServer[] = [];
/** When each killed server was killed: its runs end then at the latest. */
const killedAt = new Map<string, number>();
/** Every job the first leader ran: the new leader must run each of them too. */
let jobsRun = new Set<string>();
/** How many requests the webhook receiver had had when the new leader first ran a job. */
let receivedAtHandOver = 0;
let token: string;
const started = Date.now();
/** Every event sent, by client id (each stored once however often it is sent). */
const sent = new Map<string, EventInput>();
let seq = 0;

beforeAll(async () => {
  build = await copyBuild();
  [multi, single, receiver] = await Promise.all([createTestDatabase(5), createTestDatabase(5), startReceiver()]);
  // The same connectors in the same order on both databases, so the events' connector numbers
  // name the same connectors.
  for (const t of [multi, single]) {
    for (const name of INGEST_CONNECTORS) await t.db.connector.create({ data: { name, kind: "ON_PREMISES", smartHosts: [], recipientDomains: ["*"], tlsMode: "OPPORTUNISTIC" } });
  }
  // Scheduled probes need a connector with a smart host: one on a loopback port where nothing
  // listens (refused at once). It is not one the events name; it is left out of the comparison.
  await multi.db.connector.create({ data: { name: "Probed", kind: "PARTNER", smartHosts: [`127.0.0.1:${await freePort()}`], recipientDomains: ["lab.test"], tlsMode: "OPPORTUNISTIC" } });
  token = (await createApiToken(multi.db, testActor("admin", "ADMIN"), "instances test")).token;
  const key = randomBytes(32);
  // No daily limit in the way: every notification the router makes is to be delivered.
  await createRule(multi.db, (await createChannel(multi.db, key, webhookSecret({ url: receiver.url, signingSecret: "instances-test" }))).id, { dailyLimit: 10_000 });
  logDir = await mkdtemp(path.join(os.tmpdir(), "mf-instances-"));
  const postfixLog = path.join(logDir, "mail.log");
  await writeFile(postfixLog, "");
  serverEnv = {
    DATABASE_URL: multi.url,
    DB_POOL_MAX: "5",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    APP_URL: "http://mailflow.test",
    NOTIFY_SECRET_KEY: key.toString("hex"),
    JOBS_POLL_SECONDS: String(POLL_SECONDS),
    JOBS_LOG_RUNS: "on",
    PROBE_INTERVAL_MINUTES: "1",
    POSTFIX_LOG: postfixLog,
    DEMO_DATA: "off",
  };
  servers.push(...(await Promise.all([startAppServer("A", build.dir, serverEnv), startAppServer("B", build.dir, serverEnv)])));
}, 40 * 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop("SIGTERM")));
  await build?.remove();
  await Promise.all([multi?.drop(), single?.drop(), receiver?.close(), logDir ? rm(logDir, { recursive: true, force: true }) : undefined]);
}, 60_000);

describe("two servers on one database", () => {
  it("one of them leads: one jobs session holds the lock (a follower's try is a short session of its own), one server runs jobs", async () => {
    await waitFor(() => servers.some((s) => runsOf(s).length >= JOBS.length), 30_000);
    const [row] = await multi.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
       WHERE a.datname = current_database() AND a.application_name = 'mailflow-jobs' AND l.locktype = 'advisory' AND l.granted`,
    );
    expect(row!.n).toBe(1);
    expect(servers.filter((s) => runsOf(s).length > 0)).toHaveLength(1);
  });

  it("(a) the same events to both at once: each stored once", async () => {
    const events = makeEvents(600, 30);
    const results = await Promise.all([sendAll(servers[0]!, chunk(events, BATCH)), sendAll(servers[1]!, chunk(shuffle(events, 7), BATCH))]);
    expect(sum(results, "accepted")).toBe(events.length);
    expect(sum(results, "duplicates")).toBe(events.length);
  }, 180_000);

  it("(b) different events for the same connectors and codes to each, at once", async () => {
    const [mine, theirs] = [makeEvents(500, 25), makeEvents(500, 25)];
    const results = await Promise.all([sendAll(servers[0]!, chunk(mine, BATCH)), sendAll(servers[1]!, chunk(theirs, BATCH))]);
    expect(sum(results, "accepted")).toBe(mine.length + theirs.length);
    expect(sum(results, "duplicates")).toBe(0);
  }, 180_000);

  it("the leader killed with SIGKILL: the other takes over; a third server joins", async () => {
    const leader = servers.find((s) => runsOf(s).length > 0)!;
    const other = servers.find((s) => s !== leader)!;
    // Every job ran on the first leader before the kill.
    await waitFor(() => JOBS.every((job) => runsOf(leader).some((r) => r.job === job)), 30_000);
    jobsRun = new Set(runsOf(leader).map((r) => r.job));
    const at = Date.now();
    killedAt.set(leader.name, at);
    await leader.stop("SIGKILL");
    await waitFor(() => runsOf(other).length > 0, 30_000);
    receivedAtHandOver = receiver.keys.length;
    const handOverMs = runsOf(other)[0]!.start - at;
    console.info(`[instances test] after SIGKILL of the leader, the other server ran its first job ${handOverMs} ms later (poll ${POLL_SECONDS * 1000} ms)`);
    expect(handOverMs).toBeLessThan(10_000);
    servers.push(await startAppServer("C", build!.dir, serverEnv));
  }, 180_000);

  it("(c) interleaved batches with late events, the same batches sent twice, to the two live servers", async () => {
    const live = servers.filter((s) => !s.exited());
    expect(live).toHaveLength(2);
    // Newer events, and late ones: older than every event stored so far, so the folds replay.
    const fresh = makeEvents(400, 12);
    const late = makeEvents(300, 40);
    const batches = chunk(shuffle([...fresh, ...late], 11), BATCH);
    // Each server gets every other batch, plus the first third of the other's again.
    const again = batches.slice(0, Math.ceil(batches.length / 3));
    const results = await Promise.all(live.map((s, i) => sendAll(s, [...batches.filter((_, b) => b % 2 === i), ...again.filter((_, b) => b % 2 !== i)])));
    expect(sum(results, "accepted")).toBe(fresh.length + late.length);
    expect(sum(results, "duplicates")).toBe(again.flat().length);
  }, 180_000);

  it("ends with exactly the events, queues and alerts of one pass through one process", async () => {
    // Every job ran on the new leader too, after the work above.
    const leader = servers.find((s) => !s.exited() && runsOf(s).length > 0)!;
    await waitFor(() => [...jobsRun].every((job) => runsOf(leader).some((r) => r.job === job)), 90_000);
    // One pass: all events, in time order, through the library on a fresh database.
    const all = [...sent.values()].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    for (const batch of chunk(all, 500)) expect((await ingestEvents(single.db, batch)).accepted).toBe(batch.length);

    // Every change routed and every notification sent before the servers stop.
    await waitForRows(multi.db, `SELECT (SELECT count(*) FROM "AlertTransition" WHERE "routedAt" IS NULL) + (SELECT count(*) FROM "Notification" WHERE state IN ('PENDING', 'RETRYING')) AS n`, 90_000);
    await Promise.all(servers.map((s) => s.stop("SIGTERM")));
    // The probed connector is not in the reference; without it both hold the same connectors.
    await multi.db.connector.deleteMany({ where: { name: "Probed" } });
    const [got, want] = await Promise.all([totals(multi.db), totals(single.db)]);
    expect(got.events).toBe(sent.size);
    expect(got).toEqual(want);
    expect(await groupingSnapshot(multi.db)).toEqual(await groupingSnapshot(single.db));
  }, 180_000);

  it("ran every job on one instance at a time, and delivered every notification (again only if in flight at the kill)", async () => {
    const runs = servers.flatMap((s) => runsOf(s).map((r) => ({ ...r, server: s.name, end: r.end ?? killedAt.get(s.name) ?? Date.now() })));
    const clashes = runs.flatMap((a) => runs.filter((b) => a.server < b.server && a.start < b.end && b.start < a.end).map((b) => `${a.server}:${a.job} and ${b.server}:${b.job}`));
    expect(clashes).toEqual([]);
    const byServer = Object.fromEntries(servers.map((s) => [s.name, runsOf(s).length]));
    console.info(`[instances test] job runs by server: ${JSON.stringify(byServer)}; ${runs.length} runs in ${Math.round((Date.now() - started) / 1000)} s`);
    // Two servers ran jobs: the first leader until it was killed, then one other.
    expect(Object.values(byServer).filter((n) => n > 0)).toHaveLength(2);

    const notifications = await multi.db.notification.findMany({ select: { key: true, state: true } });
    expect(notifications.length).toBeGreaterThan(0);
    expect(notifications.filter((n) => n.state !== "DELIVERED")).toEqual([]);
    expect([...new Set(receiver.keys)].sort()).toEqual(notifications.map((n) => n.key).sort());
    // The one repeat allowed (docs/notifications.md): the leader killed between the receiver's
    // acceptance and its own commit, so the new leader sends that one again with the same key. At
    // most the deliverer's four sends in flight, each first received before the hand-over.
    const repeats = receiver.keys.filter((key, i) => receiver.keys.indexOf(key) !== i);
    expect(repeats.length).toBeLessThanOrEqual(4);
    for (const key of repeats) expect(receiver.keys.indexOf(key)).toBeLessThan(receivedAtHandOver);
    console.info(`[instances test] ${notifications.length} notifications delivered; ${repeats.length} sent again after the kill`);
  });
});

type Run = { job: string; start: number; end?: number };

/** The job runs a server logged (JOBS_LOG_RUNS=on), in order; a run still going has no end. */
function runsOf(server: AppServer): Run[] {
  const runs: Run[] = [];
  const open = new Map<string, Run>();
  for (const line of server.lines) {
    const match = /^\[jobs\] run (\S+) (started|ended) at (\S+)/.exec(line);
    if (!match) continue;
    const [, job, what, at] = match as unknown as [string, string, string, string];
    if (what === "started") {
      const run = { job, start: Date.parse(at) };
      runs.push(run);
      open.set(job, run);
    } else {
      open.get(job)!.end = Date.parse(at);
      open.delete(job);
    }
  }
  return runs;
}

/**
 * `count` new events over the three connectors and codes, stamped within the last `minutesAgo`
 * minutes (recent enough that the sweep's hour of waiting and 24 h expiry change nothing). Every
 * fourth message is later delivered, so queues drain too. Each has a time of its own, so the
 * snapshots order the same in both databases.
 */
function makeEvents(count: number, minutesAgo: number): EventInput[] {
  const from = started - minutesAgo * 60_000;
  const events: EventInput[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++seq;
    const code = CODES[n % CODES.length]!;
    const at = from + i * 2_000 + (n % 1000);
    const base = buildEvent({ id: `ev-${n}`, occurredAt: new Date(at).toISOString(), connector: (n % INGEST_CONNECTORS.length) + 1, messageId: `<m${n}@contoso.example>`, ...code });
    events.push(base);
    if (n % 4 === 0) {
      events.push({ ...base, id: `ev-${n}-delivered`, occurredAt: new Date(at + 1_000).toISOString(), status: "delivered", errorCode: undefined, errorDetails: undefined });
    }
  }
  for (const e of events) sent.set(e.id!, e);
  return events;
}

async function sendAll(server: AppServer, batches: EventInput[][]): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const batch of batches) {
    const res = await fetch(`${server.url}/api/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await res.json()) as IngestResult;
    if (res.status !== 200) throw new Error(`${server.name} answered ${res.status}: ${JSON.stringify(body)}`);
    expect(body.rejected).toEqual([]);
    results.push(body);
  }
  return results;
}

function sum(results: IngestResult[][], field: "accepted" | "duplicates"): number {
  return results.flat().reduce((n, r) => n + r[field], 0);
}

/** Event totals by connector and status (and every client id), queue states by connector, alerts by connector and code. */
async function totals(db: Db) {
  const query = <T>(sql: string) => db.$queryRawUnsafe<T[]>(sql);
  const [events] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "DeliveryEvent"`);
  return {
    events: events!.n,
    byStatus: await query(`SELECT "connectorId", status::text, count(*)::int AS n, md5(string_agg("clientId", ',' ORDER BY "clientId")) AS ids FROM "DeliveryEvent" GROUP BY 1, 2 ORDER BY 1, 2`),
    queues: await query(`SELECT "connectorId", state::text, count(*)::int AS n FROM "QueuedMessage" GROUP BY 1, 2 ORDER BY 1, 2`),
    alerts: await query(`SELECT "connectorId", "errorCode", status::text, severity::text, "eventCount", "messageCount", "queuedCount", "failedCount", "firstSeenAt", "lastSeenAt"
                         FROM "Alert" ORDER BY 1, 2, "firstSeenAt"`),
  };
}

/** Until `sql` counts 0. */
async function waitForRows(db: Db, sql: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(sql);
    if (Number(row!.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row!.n} rows left after ${timeoutMs} ms: ${sql}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
