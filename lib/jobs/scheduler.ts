import "server-only";
import { tryLead, type Leadership } from "@/lib/jobs/leader";
import { dueJobs, finished, forgetSchedule, IDLE, retryDelay, started, type JobSpec, type JobState } from "@/lib/jobs/schedule";

// Periodic work that runs once across all app instances sharing one database (docs/jobs.md).
// Every instance runs a scheduler; only the one holding the advisory lock (leader.ts) runs jobs.

export type Job = Omit<JobSpec, "timeoutMs"> & {
  timeoutMs?: number;
  /** The work; `signal` aborts when the run passes its time, leadership is lost, or the scheduler stops. */
  run: (signal: AbortSignal) => Promise<unknown>;
};

export type SchedulerOptions = {
  connectionString: string;
  /** How often a follower tries to take the lock and a leader checks it still holds it. */
  pollMs: number;
  /** Bounds connecting and each check on the lock's connection; a busy embedded database answers slowly. */
  lockTimeoutMs?: number;
  lockKey?: number;
  /** Log each run's start and end with its time (JOBS_LOG_RUNS): the trace that shows which instance ran what, when. */
  logRuns?: boolean;
  log?: Pick<Console, "info" | "warn" | "error">;
};

export type Scheduler = {
  register: (job: Job) => void;
  start: () => void;
  /** Stops scheduling, waits for running jobs up to `graceMs`, aborts what still runs, releases the lock. */
  stop: (graceMs?: number) => Promise<void>;
  isLeader: () => boolean;
};

const MAX_RETRY_MS = 60_000;
const LOCK_TIMEOUT_MS = 10_000;

type Entry = { job: Job & { timeoutMs: number }; state: JobState; run?: { controller: AbortController; done: Promise<void> } };

export function createScheduler(options: SchedulerOptions): Scheduler {
  const log = options.log ?? console;
  const entries: Entry[] = [];
  let leader: Leadership | null = null;
  let timer: NodeJS.Timeout | undefined;
  let phase: "idle" | "running" | "stopping" = "idle";
  let failures = 0;

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    if (phase !== "running") return;
    timer = setTimeout(() => void tick(), delayMs);
    timer.unref();
  };

  const abdicate = (why: string) => {
    if (!leader) return;
    const previous = leader;
    leader = null;
    log.warn(`[jobs] no longer leading (${why}): running jobs are told to stop`);
    for (const entry of entries) entry.run?.controller.abort(new Error(`leadership lost: ${why}`));
    void previous.release();
  };

  const tick = async () => {
    try {
      if (!leader) {
        leader = await tryLead({ connectionString: options.connectionString, key: options.lockKey, timeoutMs: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS, onLost: (error) => abdicate(error.message) });
        if (leader) {
          if (phase !== "running") return void (await releaseLock());
          log.info(`[jobs] leading: running ${entries.map((e) => e.job.name).join(", ") || "no jobs yet"}`);
          for (const entry of entries) entry.state = forgetSchedule(entry.state);
        }
      } else if (!(await leader.alive())) {
        abdicate("the lock's connection does not answer");
      }
      failures = 0;
    } catch (error) {
      failures++;
      log.warn(`[jobs] cannot reach the database (try ${failures}): ${(error as Error).message}`);
      return schedule(retryDelay(failures, options.pollMs, Math.max(options.pollMs, MAX_RETRY_MS)));
    }
    if (leader && phase === "running") for (const entry of dueJobs(entries, Date.now())) runJob(entry);
    schedule(nextTickIn(entries, leader !== null, options.pollMs));
  };

  const runJob = (entry: Entry) => {
    const { job } = entry;
    const controller = new AbortController();
    const startedAt = Date.now();
    entry.state = started(entry.state);
    if (options.logRuns) log.info(`[jobs] run ${job.name} started at ${new Date(startedAt).toISOString()}`);
    const overrun = setTimeout(() => {
      log.error(`[jobs] ${job.name} ran over ${job.timeoutMs} ms: told to stop`);
      controller.abort(new Error(`${job.name} timed out`));
    }, job.timeoutMs);
    overrun.unref();
    const done = job.run(controller.signal).then(
      () => true,
      (error: unknown) => {
        log.error(`[jobs] ${job.name} failed, next try in ${Math.round(job.everyMs / 1000)} s:`, error);
        return false;
      },
    ).then((ok) => {
      clearTimeout(overrun);
      const endedAt = Date.now();
      if (options.logRuns) log.info(`[jobs] run ${job.name} ended at ${new Date(endedAt).toISOString()} (${ok ? "ok" : "failed"}, ${endedAt - startedAt} ms)`);
      entry.state = finished(job, entry.state, startedAt, endedAt, ok);
      entry.run = undefined;
      // A run that outlasted its interval is due now: look again without waiting for the tick.
      if (leader) schedule(0);
    });
    entry.run = { controller, done };
  };

  const releaseLock = async () => {
    const held = leader;
    leader = null;
    await held?.release();
  };

  return {
    register(job) {
      if (entries.some((e) => e.job.name === job.name)) throw new Error(`A job named ${job.name} is already registered.`);
      entries.push({ job: { ...job, timeoutMs: job.timeoutMs ?? job.everyMs }, state: IDLE });
      if (leader) schedule(0);
    },
    start() {
      if (phase !== "idle") return;
      phase = "running";
      schedule(0);
    },
    async stop(graceMs = 10_000) {
      if (phase === "stopping") return;
      phase = "stopping";
      clearTimeout(timer);
      const running = entries.flatMap((e) => (e.run ? [e.run.done] : []));
      if (running.length > 0) {
        let waited: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(running), new Promise((r) => { waited = setTimeout(r, graceMs); })]);
        clearTimeout(waited);
      }
      for (const entry of entries) entry.run?.controller.abort(new Error("the scheduler stopped"));
      await releaseLock();
    },
    isLeader: () => leader !== null,
  };
}

/** A follower looks every poll; a leader also wakes for the next due job when that comes sooner. */
function nextTickIn(entries: readonly Entry[], leading: boolean, pollMs: number): number {
  if (!leading) return pollMs;
  const now = Date.now();
  const dues = entries.filter((e) => !e.state.running && e.state.nextRunAt !== null).map((e) => (e.state.nextRunAt as number) - now);
  return Math.max(0, Math.min(pollMs, ...dues));
}
