import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import type { ChannelConfig, DeliveryOutcome, NotificationMessage } from "@/lib/notify/types";
import { httpUrl } from "./http";
import { classifySmtpError, giveUp, ok, redact } from "./outcome";
import { renderNotification, type RenderedNotification } from "./render";
import { emailSettings, smtpUrl } from "./validate";

// Email over SMTP with nodemailer: the channel's secret is the SMTP URL (smtp:// or smtps://,
// with its credentials), settings hold the recipients and the sender. One message per
// notification with a text and an HTML part; its Message-ID comes from the notification's key,
// so a resend of the same notification is recognisably the same message.

export const SMTP_TIMEOUT_MS = 15_000;

export type RenderedEmail = Readonly<{ subject: string; text: string; html: string; messageId: string }>;

export function renderEmail(channel: Pick<ChannelConfig, "name" | "language">, message: NotificationMessage): RenderedEmail {
  const rendered = renderNotification(channel, message);
  return { subject: rendered.subject, text: textPart(rendered), html: htmlPart(rendered), messageId: messageIdOf(message.key) };
}

/** `<key@mailflow>`; a key with characters a Message-ID cannot hold is hashed instead. */
export function messageIdOf(key: string): string {
  const local = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(key) && key.length <= 200
    ? key
    : createHash("sha256").update(key).digest("hex");
  return `<${local}@mailflow>`;
}

export type EmailOptions = Readonly<{ timeoutMs?: number }>;

export async function sendEmail(channel: ChannelConfig, message: NotificationMessage, signal: AbortSignal, options: EmailOptions = {}): Promise<DeliveryOutcome> {
  const url = smtpUrl(channel.secret);
  if (!url) return giveUp("invalid SMTP URL: it must be smtp:// or smtps:// with a host");
  const settings = emailSettings(channel.settings);
  if (!settings) return giveUp("the email channel needs a sender (from) and at least one recipient");
  const email = renderEmail(channel, message);
  const timeout = options.timeoutMs ?? SMTP_TIMEOUT_MS;
  const transport = nodemailer.createTransport({ url: url.toString(), connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  const deadline = AbortSignal.timeout(timeout * 2);
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: [...settings.recipients],
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      headers: { "Auto-Submitted": "auto-generated", "Content-Language": channel.language },
      signal: AbortSignal.any([signal, deadline]),
    });
    const rejected = info.rejected.map(String);
    return ok(rejected.length > 0 ? `accepted by ${info.accepted.length}, rejected: ${rejected.join(", ")}` : redact(info.response, channel.secret));
  } catch (error) {
    if (deadline.aborted && !signal.aborted) return { ok: false, retry: true, reason: `the SMTP server did not finish within ${Math.round((timeout * 2) / 1000)} s` };
    const outcome = classifySmtpError(error);
    return outcome.ok ? outcome : { ...outcome, reason: redact(outcome.reason, channel.secret) };
  } finally {
    transport.close();
  }
}

function textPart(r: RenderedNotification): string {
  const lines = [r.title, "", r.summary, `${r.at.label}: ${r.at.value}`];
  for (const alert of r.alerts) {
    lines.push("", alert.title, ...alert.facts.map((f) => `${f.label}: ${f.value}`));
    if (alert.details) lines.push(`${alert.detailsLabel}: ${alert.details}`);
    lines.push(`${r.openAlert}: ${alert.url}`);
  }
  lines.push("", "-- ", r.footer, "");
  return lines.join("\n");
}

function htmlPart(r: RenderedNotification): string {
  const cell = "padding:2px 12px 2px 0;vertical-align:top";
  const alerts = r.alerts.map((alert) => {
    const facts = alert.facts.map((f) => `<tr><th style="${cell};text-align:left;font-weight:600">${escapeHtml(f.label)}</th><td style="${cell}">${escapeHtml(f.value)}</td></tr>`);
    if (alert.details) facts.push(`<tr><th style="${cell};text-align:left;font-weight:600">${escapeHtml(alert.detailsLabel)}</th><td style="${cell};font-family:monospace;white-space:pre-wrap">${escapeHtml(alert.details)}</td></tr>`);
    return [
      `<h2 style="font-size:16px;margin:20px 0 8px">${escapeHtml(alert.title)}</h2>`,
      `<table role="presentation" style="border-collapse:collapse;font-size:14px">${facts.join("")}</table>`,
      httpUrl(alert.url) ? `<p><a href="${escapeHtml(alert.url)}">${escapeHtml(r.openAlert)}</a></p>` : "",
    ].join("\n");
  });
  return [
    "<!doctype html>",
    `<html lang="${r.language}"><head><meta charset="utf-8"><title>${escapeHtml(r.subject)}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111">',
    `<h1 style="font-size:20px">${escapeHtml(r.title)}</h1>`,
    `<p>${escapeHtml(r.summary)}</p>`,
    `<p>${escapeHtml(r.at.label)}: ${escapeHtml(r.at.value)}</p>`,
    ...alerts,
    `<hr><p style="color:#555;font-size:12px">${escapeHtml(r.footer)}</p>`,
    "</body></html>",
  ].join("\n");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
