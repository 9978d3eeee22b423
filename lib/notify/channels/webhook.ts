import { createHmac, timingSafeEqual } from "node:crypto";
import type { ChannelConfig, DeliveryOutcome, NotificationMessage } from "@/lib/notify/types";
import { postJson, type PostOptions } from "./http";
import { giveUp } from "./outcome";
import { renderNotification } from "./render";

// The generic webhook: a JSON document (docs/notifications-channels.md, "Webhook") signed with
// HMAC-SHA256 over `timestamp + "." + body`, so a receiver can tell it came from us, unchanged,
// and recently. The channel's secret holds both the URL and the signing secret.

export const WEBHOOK_SCHEMA_VERSION = 1;
export const SIGNATURE_HEADER = "X-Mailflow-Signature";
export const TIMESTAMP_HEADER = "X-Mailflow-Timestamp";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

export type WebhookSecret = Readonly<{ url: string; signingSecret: string }>;

/** The channel's stored secret for a webhook: `{"url": "…", "signingSecret": "…"}`. */
export function webhookSecret(value: WebhookSecret): string {
  return JSON.stringify({ url: value.url, signingSecret: value.signingSecret });
}

export function parseWebhookSecret(secret: string | null): WebhookSecret | null {
  if (!secret) return null;
  try {
    const value = JSON.parse(secret) as unknown;
    if (!value || typeof value !== "object") return null;
    const { url, signingSecret } = value as Record<string, unknown>;
    return typeof url === "string" && typeof signingSecret === "string" ? { url, signingSecret } : null;
  } catch {
    return null;
  }
}

/** `sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body` under the signing secret. */
export function signWebhook(signingSecret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", signingSecret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The receiver's check (the docs show the same in a few lines): right signature, recent timestamp. */
export function verifyWebhook(
  signingSecret: string,
  headers: Readonly<{ timestamp: string | null; signature: string | null }>,
  body: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(signingSecret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type WebhookPayload = Readonly<{
  version: typeof WEBHOOK_SCHEMA_VERSION;
  id: string;
  trigger: NotificationMessage["trigger"];
  test: boolean;
  at: string;
  channel: string;
  language: ChannelConfig["language"];
  title: string;
  summary: string;
  alerts: readonly (NotificationMessage["alerts"][number] & Readonly<{ codeName: string; displayCode: string }>)[];
}>;

export function renderWebhook(channel: Pick<ChannelConfig, "name" | "language">, message: NotificationMessage): WebhookPayload {
  const rendered = renderNotification(channel, message);
  return {
    version: WEBHOOK_SCHEMA_VERSION,
    id: message.key,
    trigger: message.trigger,
    test: message.test === true,
    at: message.at,
    channel: channel.name,
    language: channel.language,
    title: rendered.title,
    summary: rendered.summary,
    alerts: rendered.alerts.map((a) => ({ ...a.alert, codeName: a.codeName, displayCode: a.code })),
  };
}

/** The body and headers of one delivery; `now` fixes the timestamp (seconds since the epoch). */
export function webhookRequest(signingSecret: string, payload: WebhookPayload, now = Date.now()) {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now / 1000));
  return {
    body,
    headers: {
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhook(signingSecret, timestamp, body),
      [IDEMPOTENCY_HEADER]: payload.id,
    },
  };
}

export async function sendWebhook(channel: ChannelConfig, message: NotificationMessage, signal: AbortSignal, options?: PostOptions): Promise<DeliveryOutcome> {
  const secret = parseWebhookSecret(channel.secret);
  if (!secret) return giveUp("the webhook has no URL and signing secret");
  const { body, headers } = webhookRequest(secret.signingSecret, renderWebhook(channel, message));
  return postJson({ url: secret.url, body, headers, secret: secret.url }, signal, options);
}
