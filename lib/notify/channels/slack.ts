import type { ChannelConfig, DeliveryOutcome, NotificationMessage } from "@/lib/notify/types";
import { postJson, type PostOptions } from "./http";
import { IDEMPOTENCY_HEADER } from "./webhook";
import { renderNotification } from "./render";

// Slack's incoming webhook: `text` (the notification's fallback and push text) and Block Kit
// blocks. Server texts go into mrkdwn escaped (&, <, >), so they cannot form links or mentions.

const MAX_ALERTS_SHOWN = 10;

export function renderSlack(channel: Pick<ChannelConfig, "name" | "language">, message: NotificationMessage) {
  const rendered = renderNotification(channel, message);
  const shown = rendered.alerts.slice(0, MAX_ALERTS_SHOWN);
  return {
    text: escapeSlack(rendered.subject),
    blocks: [
      { type: "header", text: { type: "plain_text", text: truncate(rendered.title, 150), emoji: false } },
      { type: "section", text: { type: "mrkdwn", text: `${escapeSlack(rendered.summary)}\n*${escapeSlack(rendered.at.label)}:* ${escapeSlack(rendered.at.value)}` } },
      ...shown.flatMap((alert) => [
        { type: "divider" },
        {
          type: "section",
          text: { type: "mrkdwn", text: `*${escapeSlack(alert.title)}*\n<${escapeSlack(alert.url)}|${escapeSlack(rendered.openAlert)}>` },
          fields: alert.facts.slice(0, 10).map((f) => ({ type: "mrkdwn", text: truncate(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, 2000) })),
        },
        ...(alert.details
          ? [{ type: "context", elements: [{ type: "mrkdwn", text: truncate(`${escapeSlack(alert.detailsLabel)}: ${escapeSlack(alert.details)}`, 2000) }] }]
          : []),
      ]),
      { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(rendered.footer) }] },
    ],
  };
}

export async function sendSlack(channel: ChannelConfig, message: NotificationMessage, signal: AbortSignal, options?: PostOptions): Promise<DeliveryOutcome> {
  const body = JSON.stringify(renderSlack(channel, message));
  return postJson({ url: channel.secret ?? "", body, headers: { [IDEMPOTENCY_HEADER]: message.key }, secret: channel.secret }, signal, options);
}

/** Slack's three control characters in mrkdwn. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
