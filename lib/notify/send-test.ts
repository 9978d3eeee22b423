import "server-only";
import { randomUUID } from "node:crypto";
import { writeAudit } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/http/errors";
import { senders } from "@/lib/notify/channels";
import { redact } from "@/lib/notify/channels/outcome";
import { parseWebhookSecret } from "@/lib/notify/channels/webhook";
import { notifySecretKey } from "@/lib/notify/secret-key";
import { decryptSecret } from "@/lib/notify/secrets";
import type { ChannelConfig, ChannelKind, ChannelLanguage, DeliveryOutcome, NotificationMessage } from "@/lib/notify/types";

// "Send test": a test message sent straight through the channel's sender, not through the outbox,
// so it writes no notification (the log stays as it was) but one audit entry with the outcome.
// The answer and the audit entry carry the reason redacted: never the secret or its URL.

export type TestOutcome = Readonly<{ delivered: boolean; retryable: boolean; detail: string | null }>;

const TEST_TIMEOUT_MS = 15_000;

export async function sendChannelTest(db: Db, actor: Actor, id: number, signal?: AbortSignal): Promise<TestOutcome> {
  requireRole(actor, "manage");
  const row = await db.notificationChannel.findUnique({ where: { id } });
  if (!row) throw notFound("The channel");
  const secret = row.secret ? decryptSecret(row.secret, requireKey()) : null;
  const channel: ChannelConfig = {
    id: row.id, name: row.name, kind: row.kind as ChannelKind, language: row.language as ChannelLanguage,
    settings: row.settings as Record<string, unknown>, secret,
  };
  const message: NotificationMessage = { key: `test-${randomUUID()}`, trigger: "opened", at: new Date().toISOString(), alerts: [], test: true };
  const limit = AbortSignal.timeout(TEST_TIMEOUT_MS);
  const outcome = await senders[channel.kind](channel, message, signal ? AbortSignal.any([signal, limit]) : limit);
  const answer = toAnswer(outcome, channel.kind, secret);
  await db.$transaction(async (tx) => {
    await writeAudit(tx, actor, [{
      action: "notification-channel.test", targetType: "notification-channel", targetId: id,
      after: { delivered: answer.delivered, detail: answer.detail }, note: answer.delivered ? "test delivered" : "test not delivered",
    }]);
  });
  return answer;
}

function toAnswer(outcome: DeliveryOutcome, kind: ChannelKind, secret: string | null): TestOutcome {
  const text = outcome.ok ? (outcome.detail ?? null) : outcome.reason;
  const webhookUrl = kind === "webhook" ? parseWebhookSecret(secret)?.url : undefined;
  const clean = text === null ? null : redact(redact(text, secret), webhookUrl);
  return { delivered: outcome.ok, retryable: !outcome.ok && outcome.retry, detail: clean };
}

function requireKey(): Buffer {
  const key = notifySecretKey();
  if (!key) throw new AppError({ code: "internal", status: 500, message: "The channel's secret cannot be read: NOTIFY_SECRET_KEY is not set (npm start makes one)." });
  return key;
}
