// Pure: the contract between the notification outbox (what happened, to whom, when to try again)
// and the channels (how a message reaches email, a webhook, Teams, Slack or Alertmanager).
// docs/notifications.md.

/** What can start a notification: a committed change of an alert's state, Fix now, a certificate. */
export const NOTIFICATION_TRIGGERS = [
  "opened", "high", "regressed", "resolved", "expired", "fixnow.applied", "fixnow.undone", "cert.expiring",
] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

export const CHANNEL_KINDS = ["email", "webhook", "teams", "slack", "alertmanager"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type ChannelLanguage = "en" | "sv";

/** One alert a notification is about (several when grouped per connector and code within a window). */
export type NotifiedAlert = Readonly<{
  alertId: number;
  connector: string;
  connectorId: number;
  code: string;
  severity: "LOW" | "MEDIUM" | "HIGH";
  status: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  queuedCount: number;
  expiredCount: number;
  latestDetails: string | null;
  /** The alert's page, built from APP_URL. */
  url: string;
}>;

/** What a channel sends: rendered by the channel in its language. */
export type NotificationMessage = Readonly<{
  /** Stable per notification: a webhook's Idempotency-Key header, an email's Message-ID. */
  key: string;
  trigger: NotificationTrigger;
  /** When the changes it reports were committed (the first and last, when grouped). */
  at: string;
  alerts: readonly NotifiedAlert[];
  /** "Send test": a test message of the channel, not about a real alert. */
  test?: boolean;
}>;

/** A channel's settings as the worker hands them to a sender: the secret decrypted, never logged. */
export type ChannelConfig = Readonly<{
  id: number;
  name: string;
  kind: ChannelKind;
  language: ChannelLanguage;
  /** email: recipients; alertmanager: the API base URL; the rest: nothing. */
  settings: Readonly<Record<string, unknown>>;
  /** email: the SMTP URL (with its password); webhook, teams, slack: the URL; alertmanager: none. */
  secret: string | null;
}>;

/** A sender's answer. `retry`: a temporary failure (refused, timed out, 5xx, 4xx SMTP); `giveUp`: it will never work as it is. */
export type DeliveryOutcome = Readonly<{ ok: true; detail?: string } | { ok: false; retry: boolean; reason: string }>;

export type ChannelSender = (channel: ChannelConfig, message: NotificationMessage, signal: AbortSignal) => Promise<DeliveryOutcome>;
