import type { NotificationTrigger } from "@/lib/notify/types";

// Pure: which rules a change goes to, and what keeps it from notifying anyone. An empty list in a
// rule (triggers, codes, connectors, severities) means "any".

export type Rule = Readonly<{
  id: number;
  channelId: number;
  triggers: readonly string[];
  codes: readonly string[];
  connectorIds: readonly number[];
  severities: readonly string[];
  dailyLimit: number;
  groupMinutes: number;
  timeZone: string;
}>;

export type RoutedChange = Readonly<{ trigger: NotificationTrigger; code: string; connectorId: number; severity: string }>;

export type AlertState = Readonly<{ status: string; snoozedUntil: Date | null }>;

export type Window = Readonly<{ id: number; connectorId: number; startsAt: Date; endsAt: Date }>;

export function matchingRules(change: RoutedChange, rules: readonly Rule[]): Rule[] {
  return rules.filter((r) =>
    anyOr(r.triggers, change.trigger) && anyOr(r.codes, change.code) && anyOr(r.connectorIds, change.connectorId) && anyOr(r.severities, change.severity));
}

/**
 * Why a change notifies nobody, or null: a dismissed or snoozed alert is quiet; Fix now, an
 * admin's own act, is always told. A maintenance window open on the connector when the change was committed makes it expected.
 */
export function quietReason(trigger: NotificationTrigger, alert: AlertState, connectorId: number, at: Date, windows: readonly Window[]): string | null {
  if (trigger === "fixnow.applied" || trigger === "fixnow.undone") return null;
  if (alert.status === "DISMISSED") return "dismissed";
  if (alert.snoozedUntil && alert.snoozedUntil > at) return "snoozed";
  const window = openWindow(connectorId, at, windows);
  return window ? `expected: maintenance window #${window.id}` : null;
}

/** The maintenance window open on a connector at a time: its alerts are expected then. */
export function openWindow<W extends Window>(connectorId: number, at: Date, windows: readonly W[]): W | null {
  return windows.find((w) => w.connectorId === connectorId && w.startsAt <= at && at < w.endsAt) ?? null;
}

/**
 * The window that makes an alert expected, as users see it: one open now on its connector while
 * the alert is still open (the maintenance explains what is happening now), else the one that was
 * open when the alert started (it began as part of the maintenance, whatever followed).
 */
export function expectedWindow<W extends Window>(alert: Readonly<{ connectorId: number; firstSeenAt: Date; resolvedAt: Date | null }>, windows: readonly W[], now: Date): W | null {
  const current = alert.resolvedAt === null ? openWindow(alert.connectorId, now, windows) : null;
  return current ?? openWindow(alert.connectorId, alert.firstSeenAt, windows);
}

/** Past the rule's daily limit, the reason recorded on the suppressed notification. */
export function overDailyLimit(rule: Rule, sentToday: number): string | null {
  return sentToday >= rule.dailyLimit ? `the rule's daily limit of ${rule.dailyLimit} was reached` : null;
}

function anyOr<T>(list: readonly T[], value: T): boolean {
  return list.length === 0 || list.includes(value);
}
