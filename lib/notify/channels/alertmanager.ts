import type { ChannelConfig, DeliveryOutcome, NotificationMessage, NotifiedAlert } from "@/lib/notify/types";
import { httpUrl, postJson, type PostOptions } from "./http";
import { giveUp } from "./outcome";
import { renderNotification, type RenderedAlert } from "./render";

// Prometheus Alertmanager's API v2: `POST {base}/api/v2/alerts` with one entry per alert.
// Alertmanager treats an alert without `endsAt` as firing until its resolve_timeout (5 minutes by
// default) passes without a re-send, so the worker re-sends open alerts (firingPayload) every
// ALERTMANAGER_RESEND_SECONDS, and a resolved alert goes once more with `endsAt`.

export const ALERTNAME = "MailflowConnectorAlert";
export const TEST_ALERTNAME = "MailflowTest";
export const ALERTMANAGER_RESEND_SECONDS = 60;

export type AlertmanagerAlert = Readonly<{
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}>;

/** The alerts of one notification: resolved ones (resolvedAt set) carry `endsAt`. */
export function renderAlertmanager(channel: Pick<ChannelConfig, "name" | "language">, message: NotificationMessage): AlertmanagerAlert[] {
  if (message.test) return [testAlert(message.at)];
  return renderNotification(channel, message).alerts.map((alert) => toAlertmanager(alert, alert.alert.resolvedAt));
}

/** The "still firing" re-send for the alerts that are open now: no `endsAt`, as Alertmanager expects. */
export function firingPayload(channel: Pick<ChannelConfig, "name" | "language">, alerts: readonly NotifiedAlert[], at: string): AlertmanagerAlert[] {
  const open = alerts.filter((a) => a.resolvedAt === null);
  if (open.length === 0) return [];
  return renderNotification(channel, { key: "resend", trigger: "opened", at, alerts: open }).alerts.map((alert) => toAlertmanager(alert, null));
}

/** `{base}/api/v2/alerts`, keeping a path prefix the base has (Alertmanager behind a proxy). */
export function alertsEndpoint(base: string): string | null {
  const url = httpUrl(base);
  if (!url) return null;
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/v2/alerts`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

export async function sendAlertmanager(channel: ChannelConfig, message: NotificationMessage, signal: AbortSignal, options?: PostOptions): Promise<DeliveryOutcome> {
  return postAlerts(channel, renderAlertmanager(channel, message), signal, options);
}

/** Posts alerts (a notification's, or firingPayload's re-send) to the channel's Alertmanager. */
export async function postAlerts(channel: Pick<ChannelConfig, "settings">, alerts: readonly AlertmanagerAlert[], signal: AbortSignal, options?: PostOptions): Promise<DeliveryOutcome> {
  const endpoint = alertsEndpoint(String(channel.settings.baseUrl ?? ""));
  if (!endpoint) return giveUp("invalid Alertmanager URL: it must be an http or https URL with a host");
  if (alerts.length === 0) return { ok: true, detail: "nothing to send" };
  return postJson({ url: endpoint, body: JSON.stringify(alerts) }, signal, options);
}

function toAlertmanager(alert: RenderedAlert, resolvedAt: string | null): AlertmanagerAlert {
  const a = alert.alert;
  return {
    labels: { alertname: ALERTNAME, connector: a.connector, code: a.code, severity: a.severity.toLowerCase() },
    annotations: {
      summary: alert.title,
      description: [...alert.facts.map((f) => `${f.label}: ${f.value}`), ...(alert.details ? [`${alert.detailsLabel}: ${alert.details}`] : [])].join("\n"),
      url: a.url,
    },
    startsAt: a.firstSeenAt,
    ...(resolvedAt ? { endsAt: resolvedAt } : {}),
    generatorURL: a.url,
  };
}

/** A test reaches the API but pages nobody: it starts and ends at once, so it is resolved on arrival. */
function testAlert(at: string): AlertmanagerAlert {
  return { labels: { alertname: TEST_ALERTNAME, severity: "none" }, annotations: { summary: "Mailflow Intelligence test" }, startsAt: at, endsAt: at };
}
