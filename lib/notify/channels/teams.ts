import type { ChannelConfig, DeliveryOutcome, NotificationMessage } from "@/lib/notify/types";
import { postJson, type PostOptions } from "./http";
import { IDEMPOTENCY_HEADER } from "./webhook";
import { renderNotification, type RenderedNotification } from "./render";

// Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): a
// message with one Adaptive Card 1.4 attachment. Card text is plain (TextBlock markdown is
// limited, and server texts are shown as they are), so only links are actions.

const MAX_ALERTS_SHOWN = 10;

export function renderTeams(channel: Pick<ChannelConfig, "name" | "language">, message: NotificationMessage) {
  const rendered = renderNotification(channel, message);
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: adaptiveCard(rendered) }],
  };
}

export async function sendTeams(channel: ChannelConfig, message: NotificationMessage, signal: AbortSignal, options?: PostOptions): Promise<DeliveryOutcome> {
  const body = JSON.stringify(renderTeams(channel, message));
  return postJson({ url: channel.secret ?? "", body, headers: { [IDEMPOTENCY_HEADER]: message.key }, secret: channel.secret }, signal, options);
}

function adaptiveCard(rendered: RenderedNotification) {
  const shown = rendered.alerts.slice(0, MAX_ALERTS_SHOWN);
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body: [
      { type: "TextBlock", text: plain(rendered.title), weight: "Bolder", size: "Large", wrap: true },
      { type: "TextBlock", text: plain(rendered.summary), wrap: true },
      { type: "FactSet", facts: [{ title: rendered.at.label, value: plain(rendered.at.value) }] },
      ...shown.flatMap((alert) => [
        { type: "TextBlock", text: plain(alert.title), weight: "Bolder", size: "Medium", wrap: true, separator: true, spacing: "Medium" },
        { type: "FactSet", facts: alert.facts.map((f) => ({ title: f.label, value: plain(f.value) })) },
        ...(alert.details ? [{ type: "TextBlock", text: plain(`${alert.detailsLabel}: ${alert.details}`), wrap: true, isSubtle: true, fontType: "Monospace" }] : []),
        { type: "ActionSet", actions: [{ type: "Action.OpenUrl", title: rendered.openAlert, url: alert.url }] },
      ]),
      { type: "TextBlock", text: plain(rendered.footer), isSubtle: true, size: "Small", wrap: true, separator: true },
    ],
  };
}

/** TextBlocks read a little markdown; server texts must show as written. */
function plain(text: string): string {
  return text.replace(/[\\*_`[\]]/g, (c) => `\\${c}`);
}
