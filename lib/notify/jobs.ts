import "server-only";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Scheduler } from "@/lib/jobs/scheduler";
import { ALERTMANAGER_RESEND_SECONDS } from "@/lib/notify/channels/alertmanager";
import { senders } from "@/lib/notify/channels";
import { deliverDue } from "@/lib/notify/deliver";
import { resendFiring } from "@/lib/notify/resend";
import { pruneNotificationLog } from "@/lib/notify/retention";
import { routeTransitions } from "@/lib/notify/router";
import { appUrl, notifySecretKey } from "@/lib/notify/secret-key";

// The notification jobs (docs/notifications.md), run once across instances by lib/jobs: the
// router every 2 s, the deliverer every 2 s (a send is bounded by 15 s, four at once), the
// retention of the outbox and the log hourly, the Alertmanager re-send every
// ALERTMANAGER_RESEND_SECONDS. Without APP_URL (or AUTH_URL) nothing is
// delivered: every message links to its alerts, and a link to the wrong host is worse than a
// late message. Notifications wait, and the reason is logged once, when the server starts (on
// every instance, not only the leader that would deliver, so whoever reads any log sees it).

export function registerNotificationJobs(jobs: Pick<Scheduler, "register">, db: () => Db, log: Pick<Console, "warn"> = console): void {
  if (!appUrl()) log.warn(APP_URL_WARNING);
  jobs.register({ name: "notify-route", everyMs: 2_000, timeoutMs: 60_000, run: (signal) => routeTransitions(db(), { signal }) });
  jobs.register({
    name: "notify-deliver",
    everyMs: 2_000,
    timeoutMs: 10 * 60_000,
    run: async (signal) => {
      const url = appUrl();
      if (url) await deliverDue(db(), { senders, appUrl: url, secretKey: notifySecretKey(), signal });
    },
  });
  // Hourly: at most 50 batches of 1,000 rows per table a run; a backlog shrinks run by run.
  jobs.register({
    name: "notify-retention",
    everyMs: 3_600_000,
    timeoutMs: 10 * 60_000,
    run: (signal) => pruneNotificationLog(db(), { retentionDays: env().NOTIFY_LOG_RETENTION_DAYS, signal }),
  });
  jobs.register({
    name: "notify-alertmanager-resend",
    everyMs: ALERTMANAGER_RESEND_SECONDS * 1000,
    run: async (signal) => {
      const url = appUrl();
      if (url) await resendFiring(db(), { appUrl: url, signal, log });
    },
  });
}

export const APP_URL_WARNING =
  "[notify] APP_URL is not set: notifications are not delivered and wait until it is. Set APP_URL to this app's public address (e.g. https://mailflow.example.com), the address their links point to; AUTH_URL is used when APP_URL is not set.";
