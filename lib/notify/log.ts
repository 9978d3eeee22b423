import "server-only";
import type { Db } from "@/lib/db/client";
import { notificationLogParamsSchema, type NotificationLogParams } from "@/lib/notify/schemas";

// The notification log: every notification, newest first, with where it went and what became of
// it (delivered, retrying and why, given up and why, suppressed and why). Paged by id.

export type NotificationLogEntry = Readonly<{
  id: number; key: string; createdAt: string; channelId: number; channel: string; kind: string; ruleId: number | null;
  trigger: string; connectorId: number; connector: string | null; errorCode: string; alertIds: number[];
  state: string; attempts: number; nextAttemptAt: string | null; lastAttemptAt: string | null; lastError: string | null; deliveredAt: string | null;
}>;

export async function listNotifications(db: Db, params: NotificationLogParams = {}): Promise<{ entries: NotificationLogEntry[]; nextBefore: number | null }> {
  const p = notificationLogParamsSchema.parse(params);
  const rows = await db.$queryRawUnsafe<(Omit<NotificationLogEntry, "createdAt" | "nextAttemptAt" | "lastAttemptAt" | "deliveredAt"> & Record<"createdAt" | "nextAttemptAt", Date> & Record<"lastAttemptAt" | "deliveredAt", Date | null>)[]>(
    `SELECT n.id, n.key, n."createdAt", n."channelId", ch.name AS channel, ch.kind, n."ruleId", n.trigger, n."connectorId", co.name AS connector,
            n."errorCode", n."alertIds", n.state::text AS state, n.attempts, n."nextAttemptAt", n."lastAttemptAt", n."lastError", n."deliveredAt"
     FROM "Notification" n JOIN "NotificationChannel" ch ON ch.id = n."channelId" LEFT JOIN "Connector" co ON co.id = n."connectorId"
     WHERE ($1::int IS NULL OR n."channelId" = $1) AND ($2::text IS NULL OR n.state::text = $2) AND ($3::int IS NULL OR n.id < $3)
     ORDER BY n.id DESC LIMIT $4`,
    p.channelId ?? null, p.state ?? null, p.before ?? null, p.limit + 1,
  );
  const page = rows.slice(0, p.limit);
  const waiting = (state: string) => state === "PENDING" || state === "RETRYING";
  return {
    entries: page.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      nextAttemptAt: waiting(r.state) ? r.nextAttemptAt.toISOString() : null,
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
    })),
    nextBefore: rows.length > p.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
