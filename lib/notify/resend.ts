import "server-only";
import type { Db } from "@/lib/db/client";
import { firingPayload, postAlerts } from "@/lib/notify/channels/alertmanager";
import { readAlerts } from "@/lib/notify/deliver";
import type { ChannelConfig, DeliveryOutcome } from "@/lib/notify/types";

// Alertmanager forgets a firing alert that is not re-sent within its resolve_timeout (5 minutes
// by default). This job (every ALERTMANAGER_RESEND_SECONDS) re-sends, to each enabled
// Alertmanager channel, the alerts still open that a notification delivered to it named. It
// writes no outbox rows: a re-send is a repeat of a state Alertmanager deduplicates by its labels,
// so a failed one is only logged and the next run sends the state again. The resolution itself
// goes through the outbox (the "resolved" trigger, with endsAt), so it is never lost.

export type ResendOptions = Readonly<{ appUrl: string; signal?: AbortSignal; timeoutMs?: number; now?: () => Date; log?: Pick<Console, "warn"> }>;

/** Returns the outcome per channel id. */
export async function resendFiring(db: Db, options: ResendOptions): Promise<Map<number, DeliveryOutcome>> {
  const outcomes = new Map<number, DeliveryOutcome>();
  const channels = await db.$queryRawUnsafe<Pick<ChannelConfig, "id" | "name" | "language" | "settings">[]>(
    `SELECT id, name, language, settings FROM "NotificationChannel" WHERE kind = 'alertmanager' AND enabled ORDER BY id`,
  );
  for (const channel of channels) {
    if (options.signal?.aborted) break;
    const open = await db.$queryRawUnsafe<{ id: number }[]>(
      `SELECT a.id FROM "Alert" a
       WHERE a."resolvedAt" IS NULL AND a.status <> 'DISMISSED'
         AND EXISTS (SELECT 1 FROM "Notification" n WHERE n."channelId" = $1 AND n.state = 'DELIVERED' AND a.id = ANY(n."alertIds"))`,
      channel.id,
    );
    if (open.length === 0) continue;
    const alerts = await readAlerts(db, open.map((a) => a.id), options.appUrl);
    const at = (options.now?.() ?? new Date()).toISOString();
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 15_000), ...(options.signal ? [options.signal] : [])]);
    const outcome = await postAlerts(channel, firingPayload(channel, alerts, at), signal).catch((error: unknown): DeliveryOutcome => ({ ok: false, retry: true, reason: (error as Error).message }));
    if (!outcome.ok) (options.log ?? console).warn(`[notify] Alertmanager re-send to channel ${channel.name} failed: ${outcome.reason}`);
    outcomes.set(channel.id, outcome);
  }
  return outcomes;
}
