// Next.js calls register() once when a server process starts. In the Node.js runtime it starts
// the periodic work (lib/jobs, docs/jobs.md), which runs once across all instances on one
// database: the sweep expires queued messages past their 24 h, turns HIGH the alerts whose oldest
// message has waited an hour, and ends snoozes whose time is up, even when no new events arrive;
// the probe validates every enabled connector every PROBE_INTERVAL_MINUTES (docs/probe.md); with
// POSTFIX_LOG set, the Postfix log is followed, and every followed source is watched for silence
// (docs/sources.md); notifications are routed from the outbox, delivered with retries, and open
// alerts re-sent to Alertmanager (docs/notifications.md); the retention keeps events and what is
// kept beside them for EVENT_RETENTION_DAYS (docs/partitioning.md), and fold checkpoints of busy
// connectors are kept hourly so late events replay little (docs/grouping.md).

export async function register(): Promise<void> {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next.js itself: run jobs only in a Node.js server,
  // never in `next build` (which npm start runs while it loads the demo data). Imports stay
  // dynamic so the edge bundle never pulls in pg.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ db }, { env }, { createScheduler }, { sweepQueues }, { wakeSnoozedAlerts }, { probeDueConnectors }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/env"),
    import("@/lib/jobs/scheduler"),
    import("@/lib/events/sweep"),
    import("@/lib/alerts/actions"),
    import("@/lib/probe/schedule"),
  ]);
  const [{ followPostfixLog }, { checkSilence }] = await Promise.all([import("@/lib/sources/postfix/follow"), import("@/lib/sources/silence")]);
  const { DATABASE_URL, JOBS_POLL_SECONDS, JOBS_LOG_RUNS, PROBE_INTERVAL_MINUTES, PROBE_CONCURRENCY, POSTFIX_LOG, POSTFIX_TIME_ZONE, SOURCE_SILENCE_MINUTES } = env();
  // Without a database there is nothing to do.
  if (!DATABASE_URL) return;

  const jobs = createScheduler({ connectionString: DATABASE_URL, pollMs: JOBS_POLL_SECONDS * 1000, logRuns: JOBS_LOG_RUNS === "on" });
  // One line per periodic job; each runs on the leader only, never overlapping itself.
  jobs.register({ name: "sweep", everyMs: 60_000, run: () => sweep(db()) });
  // Each run probes the connectors due by then (a validation is at most 60 s), PROBE_CONCURRENCY at once.
  if (PROBE_INTERVAL_MINUTES > 0) {
    jobs.register({
      name: "probe",
      everyMs: 60_000,
      timeoutMs: 15 * 60_000,
      run: (signal) => probeDueConnectors(db(), { intervalMinutes: PROBE_INTERVAL_MINUTES, concurrency: PROBE_CONCURRENCY, signal }),
    });
  }
  if (POSTFIX_LOG) {
    // Every 2 s the leader reads what the log gained (at most 20 chunks of 1 MB a run).
    jobs.register({
      name: "postfix",
      everyMs: 2_000,
      timeoutMs: 5 * 60_000,
      run: (signal) => followPostfixLog(db(), POSTFIX_LOG, { signal, maxChunks: 20, timeZone: POSTFIX_TIME_ZONE }),
    });
  }
  jobs.register({ name: "source-silence", everyMs: 60_000, run: () => checkSilence(db(), SOURCE_SILENCE_MINUTES) });
  // Hourly: day partitions of events made ahead, whole days dropped past EVENT_RETENTION_DAYS, the
  // rows kept beside them deleted in bounded batches (docs/partitioning.md).
  const { runRetention } = await import("@/lib/events/retention");
  jobs.register({ name: "retention", everyMs: 3_600_000, timeoutMs: 30 * 60_000, run: (signal) => runRetention(db(), { signal }) });
  // Every 10 minutes: the hourly chain of fold checkpoints of busy connectors, so a late event
  // replays about an hour of its connector's events, not a whole outage (docs/grouping.md).
  const [{ checkpointRecentFolds }, { retentionHorizon }] = await Promise.all([import("@/lib/events/fold-checkpoint"), import("@/lib/events/partitions")]);
  jobs.register({
    name: "fold-checkpoints",
    everyMs: 10 * 60_000,
    timeoutMs: 30 * 60_000,
    run: (signal) => {
      const now = new Date();
      return checkpointRecentFolds(db(), now, { signal, retentionHorizon: retentionHorizon(now, env().EVENT_RETENTION_DAYS) });
    },
  });
  (await import("@/lib/notify/jobs")).registerNotificationJobs(jobs, db);
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
