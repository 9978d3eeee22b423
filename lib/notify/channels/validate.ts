import type { FieldIssue } from "@/lib/http/errors";
import type { ChannelKind } from "@/lib/notify/types";
import { httpUrl } from "./http";
import { parseWebhookSecret } from "./webhook";

// Pure: what a channel needs before anything is sent. The field names match the channel form:
// `secret` (a URL), `secret.url` and `secret.signingSecret` (webhook), `settings.<name>`.

export const MIN_SIGNING_SECRET = 16;
const MAX_RECIPIENTS = 50;
// The practical address check (one @, no spaces or angle brackets, a dotted or bracketed domain), not RFC 5322's grammar.
const ADDRESS = /^[^\s@<>()",;:]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+|localhost|\[[0-9A-Fa-f:.]+\])$/;

export type EmailSettings = Readonly<{ from: string; recipients: readonly string[] }>;

export function validateChannel(kind: ChannelKind, settings: Readonly<Record<string, unknown>>, secret: string | null): FieldIssue[] {
  switch (kind) {
    case "email":
      return validateEmail(settings, secret);
    case "webhook":
      return validateWebhook(secret);
    case "teams":
    case "slack":
      return httpUrl(secret) && !hasCredentials(secret) ? [] : [{ field: "secret", message: "Enter the webhook URL (http or https, with a host)." }];
    case "alertmanager":
      return httpUrl(settings.baseUrl) && !hasCredentials(settings.baseUrl)
        ? []
        : [{ field: "settings.baseUrl", message: "Enter Alertmanager's base URL (http or https, with a host, e.g. http://alertmanager:9093)." }];
  }
}

/** smtp:// or smtps:// with a host; null otherwise. */
export function smtpUrl(value: unknown): URL | null {
  if (typeof value !== "string" || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname ? url : null;
  } catch {
    return null;
  }
}

export function isEmailAddress(value: unknown): value is string {
  return typeof value === "string" && value.length <= 254 && ADDRESS.test(value);
}

/** The email settings when they are valid, else null. */
export function emailSettings(settings: Readonly<Record<string, unknown>>): EmailSettings | null {
  const { from, recipients } = settings;
  if (!isEmailAddress(from) || !Array.isArray(recipients) || recipients.length === 0 || recipients.length > MAX_RECIPIENTS) return null;
  return recipients.every(isEmailAddress) ? { from, recipients } : null;
}

function validateEmail(settings: Readonly<Record<string, unknown>>, secret: string | null): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!smtpUrl(secret)) issues.push({ field: "secret", message: "Enter the SMTP server as smtp://host:port or smtps://user:password@host:465." });
  if (!isEmailAddress(settings.from)) issues.push({ field: "settings.from", message: "Enter the sender address, e.g. mailflow@example.com." });
  const recipients = settings.recipients;
  if (!Array.isArray(recipients) || recipients.length === 0) issues.push({ field: "settings.recipients", message: "Enter at least one recipient address." });
  else if (recipients.length > MAX_RECIPIENTS) issues.push({ field: "settings.recipients", message: `Enter at most ${MAX_RECIPIENTS} recipients.` });
  else {
    const bad = recipients.filter((r) => !isEmailAddress(r));
    if (bad.length > 0) issues.push({ field: "settings.recipients", message: `Not an email address: ${bad.slice(0, 3).map(String).join(", ")}` });
  }
  return issues;
}

function validateWebhook(secret: string | null): FieldIssue[] {
  const parsed = parseWebhookSecret(secret);
  const issues: FieldIssue[] = [];
  if (!parsed || !httpUrl(parsed.url) || hasCredentials(parsed.url)) issues.push({ field: "secret.url", message: "Enter the webhook URL (http or https, with a host)." });
  if (!parsed || parsed.signingSecret.length < MIN_SIGNING_SECRET) issues.push({ field: "secret.signingSecret", message: `Enter a signing secret of at least ${MIN_SIGNING_SECRET} characters.` });
  return issues;
}

/** fetch refuses URLs with user:password@, so the form does too. */
function hasCredentials(value: unknown): boolean {
  const url = httpUrl(value);
  return !!url && (url.username !== "" || url.password !== "");
}

/** Where a channel delivers, for a hint beside the hidden secret (the webhook's URL sits in JSON). */
export function channelTarget(kind: ChannelKind, settings: Readonly<Record<string, unknown>>, secret: string | null): string | null {
  if (kind === "alertmanager") return typeof settings.baseUrl === "string" ? settings.baseUrl : null;
  if (kind === "webhook") return parseWebhookSecret(secret)?.url ?? null;
  return secret;
}
