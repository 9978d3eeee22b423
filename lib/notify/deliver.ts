import "server-only";
import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction, type SqlTx } from "@/lib/db/sql";
import { recordNotificationDelivery } from "@/lib/metrics/definitions";
import type { NotificationPayload } from "@/lib/notify/router";
import { nextAttemptAt } from "@/lib/notify/retry";
import { decryptSecret } from "@/lib/notify/secrets";
import type { ChannelConfig, ChannelKind, ChannelSender, DeliveryOutcome, NotificationMessage, NotificationTrigger, NotifiedAlert } from "@/lib/notify/types";

// The deliverer (a lib/jobs job, docs/notifications.md). Each notification is claimed in its own
// transaction with FOR UPDATE SKIP LOCKED and its outcome committed in that transaction, after the
// sender returned: a crash or a lost database before the commit leaves it due, and it is sent
// again with the same key. That is the only repeat, and the receiver can recognise it by the key.

export type Senders = Partial<Record<ChannelKind, ChannelSender>>;

export type DeliverOptions = Readonly<{
  senders: Senders;
  /** The app's public address: alert links are built from it. */
  appUrl: string;
  /** NOTIFY_SECRET_KEY, parsed; null: channels with a secret cannot be delivered. */
  secretKey: Buffer | null;
  /** Each send's time limit. */
  timeoutMs?: number;
  /** Notifications sent at once. */
  concurrency?: number;
  signal?: AbortSignal;
  now?: () => Date;
}>;

type Claimed = {
  id: number; key: string; trigger: NotificationTrigger; alertIds: number[]; payload: NotificationPayload; attempts: number; createdAt: Date;
  channelId: number; name: string; kind: ChannelKind; language: "en" | "sv"; settings: Record<string, unknown>; secret: string | null; enabled: boolean;
};

type Outcome = DeliveryOutcome | Readonly<{ ok: false; retry: boolean; reason: string }>;

/** Delivers every due notification; returns how many were tried. */
export async function deliverDue(db: Db, options: DeliverOptions): Promise<number> {
  const pool = poolOf(db);
  let tried = 0;
  let failure: { error: unknown } | null = null;
  // The first failure (the database gone) stops every worker, and the call settles only when all
  // have stopped: none is left sending in the background of the next run.
  const worker = async () => {
    try {
      while (!failure && !options.signal?.aborted && (await withSqlTransaction(pool, (tx) => deliverOne(tx, options)))) tried++;
    } catch (error) {
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return tried;
}

async function deliverOne(tx: SqlTx, options: DeliverOptions): Promise<boolean> {
  const now = options.now?.() ?? new Date();
  const [n] = await tx.$queryRawUnsafe<Claimed[]>(
    `SELECT n.id, n.key, n.trigger, n."alertIds", n.payload, n.attempts, n."createdAt",
            c.id AS "channelId", c.name, c.kind, c.language, c.settings, c.secret, c.enabled
     FROM "Notification" n JOIN "NotificationChannel" c ON c.id = n."channelId"
     WHERE n.state IN ('PENDING', 'RETRYING') AND n."nextAttemptAt" <= $1
     ORDER BY n."nextAttemptAt", n.id LIMIT 1 FOR UPDATE OF n SKIP LOCKED`,
    now,
  );
  if (!n) return false;
  const outcome = await attempt(tx, n, options);
  await record(tx, n, outcome, options.now?.() ?? new Date());
  return true;
}

async function attempt(tx: SqlTx, n: Claimed, options: DeliverOptions): Promise<Outcome> {
  if (!n.enabled) return { ok: false, retry: false, reason: "the channel is disabled" };
  const sender = options.senders[n.kind];
  if (!sender) return { ok: false, retry: true, reason: `no sender for channels of kind ${n.kind}` };
  let secret: string | null = null;
  if (n.secret) {
    if (!options.secretKey) return { ok: false, retry: true, reason: "NOTIFY_SECRET_KEY is not set: the channel's secret cannot be read" };
    try {
      secret = decryptSecret(n.secret, options.secretKey);
    } catch (error) {
      return { ok: false, retry: true, reason: (error as Error).message };
    }
  }
  const alerts = await readAlerts(tx, n.alertIds, options.appUrl);
  if (alerts.length === 0) return { ok: false, retry: false, reason: "its alerts no longer exist (rebuilt by a replay)" };
  const channel: ChannelConfig = { id: n.channelId, name: n.name, kind: n.kind, language: n.language, settings: n.settings, secret };
  const message: NotificationMessage = { key: n.key, trigger: n.trigger, at: n.payload.lastAt, alerts };
  return send(sender, channel, message, options.timeoutMs ?? 15_000, options.signal);
}

/** The sender's answer, or a retry when it throws, passes its time or the job is told to stop. */
async function send(sender: ChannelSender, channel: ChannelConfig, message: NotificationMessage, timeoutMs: number, outer?: AbortSignal): Promise<Outcome> {
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(outer ? [outer] : [])]);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<Outcome>((resolve) => {
    onAbort = () => resolve({ ok: false, retry: true, reason: signal.reason instanceof DOMException && signal.reason.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : `stopped: ${String((signal.reason as Error)?.message ?? signal.reason)}` });
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([
      sender(channel, message, signal).catch((error: unknown): Outcome => ({ ok: false, retry: true, reason: (error as Error)?.message ?? String(error) })),
      aborted,
    ]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

async function record(tx: SqlTx, n: Claimed, outcome: Outcome, now: Date): Promise<void> {
  const attempts = n.attempts + 1;
  const next = !outcome.ok && outcome.retry ? nextAttemptAt(attempts, n.createdAt, now) : null;
  // Counted once the outcome is committed: an attempt whose commit is lost is made again.
  tx.afterCommit?.(() => recordNotificationDelivery(n.kind, outcome.ok ? "delivered" : next ? "retrying" : "given_up"));
  if (outcome.ok) {
    await tx.$executeRawUnsafe(
      `UPDATE "Notification" SET state = 'DELIVERED', attempts = $2, "lastAttemptAt" = $3, "deliveredAt" = $3, "lastError" = NULL, "updatedAt" = now() WHERE id = $1`,
      n.id, attempts, now,
    );
    return;
  }
  const reason = outcome.reason.slice(0, 1000);
  await tx.$executeRawUnsafe(
    `UPDATE "Notification" SET state = $2::"NotificationState", attempts = $3, "lastAttemptAt" = $4, "nextAttemptAt" = COALESCE($5, "nextAttemptAt"),
       "lastError" = $6, "updatedAt" = now() WHERE id = $1`,
    n.id, next ? "RETRYING" : "GIVEN_UP", attempts, now, next, next || !outcome.retry ? reason : `${reason} (tried for a day)`,
  );
}

/** The alerts as a message names them, read now, each linked to its page under `appUrl`. */
export async function readAlerts(tx: SqlTx, ids: number[], appUrl: string): Promise<NotifiedAlert[]> {
  const rows = await tx.$queryRawUnsafe<(Omit<NotifiedAlert, "url" | "firstSeenAt" | "lastSeenAt" | "resolvedAt"> & { firstSeenAt: Date; lastSeenAt: Date; resolvedAt: Date | null })[]>(
    `SELECT a.id AS "alertId", c.name AS connector, a."connectorId", a."errorCode" AS code, a.severity::text AS severity, a.status::text AS status,
            a."firstSeenAt", a."lastSeenAt", a."resolvedAt", a."queuedCount", a."expiredCount", a."latestDetails"
     FROM "Alert" a JOIN "Connector" c ON c.id = a."connectorId" WHERE a.id = ANY($1::int[]) ORDER BY a.id`,
    ids,
  );
  const base = appUrl.replace(/\/+$/, "");
  return rows.map((r) => ({
    ...r,
    firstSeenAt: r.firstSeenAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    url: `${base}/alerts/${r.alertId}`,
  }));
}
