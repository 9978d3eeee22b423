import type { Db } from "@/lib/db/client";
import { encryptSecret, secretHint } from "@/lib/notify/secrets";
import { mergeTransitions, type TransitionRow } from "@/lib/notify/transitions";

// Helpers for the notification tests: what the outbox holds, merged as the router merges it.

/** The unrouted transitions merged into "trigger:alertId" strings, then marked read. */
export async function takeTriggers(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<(TransitionRow & { errorCode: string })[]>(
    `SELECT t.*, a."errorCode" FROM "AlertTransition" t JOIN "Alert" a ON a.id = t."alertId" WHERE t."routedAt" IS NULL ORDER BY t.id`,
  );
  await db.$executeRawUnsafe(`UPDATE "AlertTransition" SET "routedAt" = now() WHERE "routedAt" IS NULL`);
  const codes = new Map(rows.map((r) => [r.alertId, r.errorCode]));
  return mergeTransitions(rows, (id) => codes.get(id) ?? "").map((e) => `${e.trigger}:${e.alertId}${e.expired ? `:${e.expired}` : ""}`);
}

let channels = 0;

/** A channel of the given kind whose secret (the URL) is encrypted with `key`. */
export async function createChannel(db: Db, key: Buffer, url: string | null, overrides: Partial<{ kind: string; enabled: boolean; name: string }> = {}) {
  return db.notificationChannel.create({
    data: { name: `Channel ${++channels}`, kind: "webhook", secret: url ? encryptSecret(url, key) : null, secretHint: url ? secretHint(url) : null, ...overrides },
  });
}

export async function createRule(db: Db, channelId: number, overrides: Partial<{ triggers: string[]; codes: string[]; connectorIds: number[]; severities: string[]; dailyLimit: number; groupMinutes: number; enabled: boolean }> = {}) {
  return db.notificationRule.create({ data: { channelId, groupMinutes: 0, ...overrides } });
}
