// The pure core of periodic work: which jobs are due at a given moment, when a job runs next after
// a run, and how long to wait before trying the database again. No timers, no database: the
// scheduler (scheduler.ts) asks these questions on every tick.

export type JobSpec = {
  /** Names the job in logs; unique within a scheduler. */
  name: string;
  /** Time between the starts of two runs (a run longer than that is followed at once, never overlapped). */
  everyMs: number;
  /** How long a run may take before its signal is aborted and the failure logged. */
  timeoutMs: number;
};

export type JobState = {
  running: boolean;
  /** When the job may start next; null until this instance leads (then it is due at once). */
  nextRunAt: number | null;
  consecutiveFailures: number;
};

export const IDLE: JobState = { running: false, nextRunAt: null, consecutiveFailures: 0 };

/** The jobs to start now: not running, and due (a job that never ran on this leader is due). */
export function dueJobs<T extends { state: JobState }>(jobs: readonly T[], now: number): T[] {
  return jobs.filter(({ state }) => !state.running && (state.nextRunAt === null || state.nextRunAt <= now));
}

export function started(state: JobState): JobState {
  return { ...state, running: true };
}

/**
 * After a run that started at `startedAt` and ended at `endedAt`: the next start keeps the
 * job's rhythm (start + every), or follows at once when the run took longer than that. A failed
 * run is tried again at its next tick like any other: periodic work catches up on its own.
 */
export function finished(spec: Pick<JobSpec, "everyMs">, state: JobState, startedAt: number, endedAt: number, ok: boolean): JobState {
  return {
    running: false,
    nextRunAt: Math.max(startedAt + spec.everyMs, endedAt),
    consecutiveFailures: ok ? 0 : state.consecutiveFailures + 1,
  };
}

/** Every job due at once again: a new leader does not know when the previous one last ran them. */
export function forgetSchedule(state: JobState): JobState {
  return { ...state, nextRunAt: null };
}

/**
 * How long to wait before the next try to reach the database after `failures` failed tries in a
 * row: doubling from `baseMs`, never more than `maxMs`, so an instance whose database is down
 * neither floods its log nor waits long after the database is back.
 */
export function retryDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return baseMs;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures, 20));
}
