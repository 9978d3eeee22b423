import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createScheduler, type Job, type Scheduler } from "@/lib/jobs/scheduler";
import { createEmptyDatabase } from "@/tests/helpers/test-db";

// Two schedulers in one process stand for two app instances on one database: each has its own
// dedicated lock connection, exactly as two `npm start` processes would.
const POLL_MS = 100;
let database: { url: string; drop: () => Promise<void> };
let schedulers: Scheduler[] = [];

beforeAll(async () => { database = await createEmptyDatabase(); });
afterAll(async () => { await database?.drop(); });
afterEach(async () => {
  await Promise.all(schedulers.map((s) => s.stop(1_000)));
  schedulers = [];
});

describe("periodic work across instances", () => {
  it("exactly one of two instances runs a job, on its rhythm", async () => {
    const runs = { a: 0, b: 0 };
    const [a, b] = [instance(counting(runs, "a")), instance(counting(runs, "b"))];
    await waitFor(() => runs.a + runs.b >= 4);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(runs.a === 0 || runs.b === 0).toBe(true);
  });

  it("hands over within a bounded time when the leader's session dies, and the old leader stops at once", async () => {
    const runs = { a: 0, b: 0 };
    const signals: AbortSignal[] = [];
    // A logs in as a role of its own, so the test can make it a dead instance: its session ended
    // and no new one allowed. Its run lasts until it is told to stop (or 2 s).
    const role = `mf_jobs_${Date.now().toString(36)}`;
    await adminQuery(`CREATE ROLE ${role} LOGIN`);
    try {
      const a = instance({ ...counting(runs, "a"), run: async (signal) => { runs.a++; signals.push(signal); await untilAborted(signal, 2_000); } }, asRole(role));
      await waitFor(() => a.isLeader() && runs.a > 0);
      const b = instance(counting(runs, "b"));
      await sleep(3 * POLL_MS);
      expect(runs.b).toBe(0);

      const diedAt = Date.now();
      await adminQuery(`ALTER ROLE ${role} NOLOGIN`);
      await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
      await waitFor(() => !a.isLeader());
      expect(signals.at(-1)?.aborted).toBe(true);
      await waitFor(() => runs.b > 0);
      const handOverMs = Date.now() - diedAt;
      console.info(`[jobs test] hand-over after the leader's session died: ${handOverMs} ms (poll ${POLL_MS} ms)`);
      expect(handOverMs).toBeLessThan(20 * POLL_MS);
      const aRuns = runs.a;
      await sleep(3 * POLL_MS);
      expect(b.isLeader()).toBe(true);
      expect(runs.a).toBe(aRuns);
      await a.stop(0);
    } finally {
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("a clean stop waits for the running job, then releases the lock to the other instance", async () => {
    const runs = { a: 0, b: 0 };
    let finishedRun = false;
    const a = instance({ name: "slow", everyMs: 10_000, run: async () => { runs.a++; await sleep(300); finishedRun = true; } });
    await waitFor(() => runs.a > 0);
    instance(counting(runs, "b"));
    const stoppedAt = Date.now();
    await a.stop(2_000);
    expect(finishedRun).toBe(true);
    await waitFor(() => runs.b > 0);
    console.info(`[jobs test] hand-over after a clean stop: ${Date.now() - stoppedAt} ms including the 300 ms job`);
    expect(a.isLeader()).toBe(false);
  });

  it("never overlaps a job with itself: a run longer than its interval is followed, not joined", async () => {
    let concurrent = 0;
    let most = 0;
    let runs = 0;
    instance({ name: "long", everyMs: 20, run: async () => {
      concurrent++;
      most = Math.max(most, concurrent);
      await sleep(120);
      concurrent--;
      runs++;
    } });
    await waitFor(() => runs >= 3);
    expect(most).toBe(1);
  });

  it("logs a failing run and tries it again at its next tick; a run past its time has its signal aborted", async () => {
    const errors: string[] = [];
    let attempts = 0;
    let timedOut: AbortSignal | undefined;
    const s = createScheduler({ connectionString: database.url, pollMs: POLL_MS, log: { info: () => undefined, warn: () => undefined, error: (m: string) => errors.push(m) } });
    schedulers.push(s);
    s.register({ name: "flaky", everyMs: 50, run: async () => { attempts++; throw new Error("boom"); } });
    s.register({ name: "slow", everyMs: 10_000, timeoutMs: 50, run: async (signal) => { timedOut = signal; await sleep(150); } });
    s.start();
    await waitFor(() => attempts >= 3 && timedOut?.aborted === true);
    expect(errors.filter((m) => m.includes("flaky failed")).length).toBeGreaterThanOrEqual(3);
    expect(errors.some((m) => m.includes("slow ran over 50 ms"))).toBe(true);
  });
});

function instance(job: Job, connectionString = database.url): Scheduler {
  const s = createScheduler({ connectionString, pollMs: POLL_MS, log: quiet });
  s.register(job);
  s.start();
  schedulers.push(s);
  return s;
}

function counting(runs: Record<string, number>, who: string): Job {
  return { name: "count", everyMs: 50, run: async () => { runs[who]!++; } };
}

function asRole(role: string): string {
  const url = new URL(database.url);
  url.username = role;
  url.password = "";
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(10);
  }
}

function untilAborted(signal: AbortSignal, capMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, capMs);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
