import { describe, expect, it } from "vitest";
import { dueJobs, finished, forgetSchedule, IDLE, retryDelay, started, type JobState } from "@/lib/jobs/schedule";

const job = (name: string, state: JobState) => ({ name, state });

describe("which jobs are due", () => {
  it("a job this leader never ran is due at once; one whose time has come is due; a running one never", () => {
    const jobs = [
      job("new", IDLE),
      job("due", { ...IDLE, nextRunAt: 1_000 }),
      job("later", { ...IDLE, nextRunAt: 1_001 }),
      job("running", { ...IDLE, running: true, nextRunAt: 0 }),
    ];
    expect(dueJobs(jobs, 1_000).map((j) => j.name)).toEqual(["new", "due"]);
  });

  it("a new leader runs everything at once, since it cannot know when the last one did", () => {
    expect(forgetSchedule({ running: true, nextRunAt: 5_000, consecutiveFailures: 2 })).toEqual({ running: true, nextRunAt: null, consecutiveFailures: 2 });
  });
});

describe("when a job runs next", () => {
  const every = { everyMs: 60_000 };

  it("keeps its rhythm from the start of the last run", () => {
    expect(finished(every, started(IDLE), 0, 4_000, true)).toEqual({ running: false, nextRunAt: 60_000, consecutiveFailures: 0 });
  });

  it("follows at once when a run took longer than its interval, without overlapping it", () => {
    expect(finished(every, started(IDLE), 0, 75_000, true).nextRunAt).toBe(75_000);
  });

  it("tries a failed run again at its next tick and counts failures in a row until one succeeds", () => {
    const once = finished(every, started(IDLE), 0, 1_000, false);
    const twice = finished(every, started(once), 60_000, 61_000, false);
    expect(twice).toEqual({ running: false, nextRunAt: 120_000, consecutiveFailures: 2 });
    expect(finished(every, started(twice), 120_000, 121_000, true).consecutiveFailures).toBe(0);
  });
});

describe("waiting for the database", () => {
  it("doubles from the poll interval and stops at the cap", () => {
    expect([0, 1, 2, 3, 10, 1_000].map((n) => retryDelay(n, 5_000, 60_000))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
