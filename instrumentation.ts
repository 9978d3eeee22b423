// Next.js calls register() once when a server process starts. In the Node.js runtime it starts
// the periodic work (lib/jobs, docs/jobs.md), which runs once across all instances on one
// database: the sweep expires queued messages past their 24 h, turns HIGH the alerts whose oldest
// message has waited an hour, and ends snoozes whose time is up, even when no new events arrive.

export async function register(): Promise<void> {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next.js itself: run jobs only in a Node.js server,
  // never in `next build` (which npm start runs while it loads the demo data). Imports stay
  // dynamic so the edge bundle never pulls in pg.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ db }, { env }, { createScheduler }, { sweepQueues }, { wakeSnoozedAlerts }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/env"),
    import("@/lib/jobs/scheduler"),
    import("@/lib/events/sweep"),
    import("@/lib/alerts/actions"),
  ]);
  const { DATABASE_URL, JOBS_POLL_SECONDS } = env();
  // Without a database there is nothing to do.
  if (!DATABASE_URL) return;

  const jobs = createScheduler({ connectionString: DATABASE_URL, pollMs: JOBS_POLL_SECONDS * 1000 });
  // One line per periodic job; each runs on the leader only, never overlapping itself.
  jobs.register({ name: "sweep", everyMs: 60_000, run: () => sweep(db()) });
  jobs.start();
  // On shutdown: no new runs, the running one gets a few seconds, the lock goes at once to the
  // next instance. Next.js exits the process on the same signal; if it is first, the closed
  // connection frees the lock all the same.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void jobs.stop(5_000));

  async function sweep(client: ReturnType<typeof db>): Promise<void> {
    const now = new Date();
    await sweepQueues(client, now);
    // A snooze whose time is up ends by itself (one that got worse ends at ingest already).
    await wakeSnoozedAlerts(client, now);
  }
}
