import "server-only";
import type { Db } from "@/lib/db/client";
import type { Scheduler } from "@/lib/jobs/scheduler";
import { ALERTMANAGER_RESEND_SECONDS } from "@/lib/notify/channels/alertmanager";
import { senders } from "@/lib/notify/channels";
import { deliverDue } from "@/lib/notify/deliver";
import { resendFiring } from "@/lib/notify/resend";
import { routeTransitions } from "@/lib/notify/router";
import { appUrl, notifySecretKey } from "@/lib/notify/secret-key";

// The notification jobs (docs/notifications.md), run once across instances by lib/jobs: the
// router every 2 s, the deliverer every 2 s (a send is bounded by 15 s, four at once), the
// Alertmanager re-send every ALERTMANAGER_RESEND_SECONDS. Without APP_URL (or AUTH_URL) nothing is
// delivered: every message links to its alerts, and a link to the wrong host is worse than a
// late message. Notifications wait, and the reason is logged once.

export function registerNotificationJobs(jobs: Pick<Scheduler, "register">, db: () => Db, log: Pick<Console, "warn"> = console): void {
  let warned = false;
  jobs.register({ name: "notify-route", everyMs: 2_000, timeoutMs: 60_000, run: (signal) => routeTransitions(db(), { signal }) });
  jobs.register({
    name: "notify-deliver",
    everyMs: 2_000,
    timeoutMs: 10 * 60_000,
    run: async (signal) => {
      const url = appUrl();
      if (!url) {
        if (!warned) log.warn("[notify] notifications wait: set APP_URL, the address their links point to");
        warned = true;
        return;
      }
      await deliverDue(db(), { senders, appUrl: url, secretKey: notifySecretKey(), signal });
    },
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
