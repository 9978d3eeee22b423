// Next.js calls register() once when a server process starts. In the Node.js runtime it starts
// the periodic sweep: queued messages past their 24 h expire, alerts whose oldest message has
// waited an hour turn HIGH, and snoozes whose time is up end, even when no new events arrive.

const SWEEP_INTERVAL_MS = 60_000;

export async function register(): Promise<void> {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next.js itself: sweep only in a Node.js server, never
  // in `next build` (which npm start runs while it loads the demo data). Imports stay dynamic
  // so the edge bundle never pulls in pg.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ db }, { env }, { sweepQueues }, { wakeSnoozedAlerts }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/env"),
    import("@/lib/events/sweep"),
    import("@/lib/alerts/actions"),
  ]);
  // Without a database there is nothing to sweep.
  if (!env().DATABASE_URL) return;

  let running = false;
  const sweep = async (): Promise<void> => {
    if (running) return; // a slow sweep is never overlapped by the next one
    running = true;
    try {
      const now = new Date();
      await sweepQueues(db(), now);
      // A snooze whose time is up ends by itself (one that got worse ends at ingest already).
      await wakeSnoozedAlerts(db(), now);
    } catch (error) {
      console.error(`[expiry sweep] failed, next try in ${SWEEP_INTERVAL_MS / 1000} s:`, error);
    } finally {
      running = false;
    }
  };
  setInterval(() => void sweep(), SWEEP_INTERVAL_MS).unref();
  void sweep();
}
