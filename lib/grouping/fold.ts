import type { QueueState } from "@/lib/db/enums";
import { UNKNOWN_CODE, type FoldEvent } from "@/lib/grouping/event";
import { severityOf, type SeverityThresholds, type SeverityValue } from "@/lib/grouping/severity";

// Pure: folds one connector's delivery events, in the total order of compareEvents, into
// message queue states and alert episodes. Both the incremental path (state loaded from the
// database + newer events) and the replay path (from a quiet point) run this same code, which is
// what makes the result independent of arrival order and batch boundaries. See docs/grouping.md.

export const QUEUE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export type MessageStateValue = QueueState;
/** `probe`: a passing validation on a connector with nothing queued. */
export type ResolvedReason = "delivered" | "expired" | "probe";

export type FoldMessage = {
  id: bigint | null;
  messageId: string;
  recipient: string;
  sender: string | null;
  state: MessageStateValue;
  errorCode: string | null;
  alertKey: string | null;
  firstAttemptAt: Date;
  lastAttemptAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
  ndrAt: Date | null;
  attempts: number;
  dirty: boolean;
};

export type FoldAlert = {
  key: string;
  id: number | null;
  errorCode: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  messageCount: number;
  queuedCount: number;
  expiredCount: number;
  failedCount: number;
  peakQueuedCount: number;
  longestWaitSeconds: number;
  affectedDomains: string[];
  latestDetails: string | null;
  latestDestination: string | null;
  latestEventAt: Date | null;
  recoveredAt: Date | null;
  resolvedAt: Date | null;
  resolvedReason: string | null;
  regressionOfKey: string | null;
  dirty: boolean;
};

export type FoldState = {
  /** Alerts that are open, plus any created or changed during this fold. */
  alerts: Map<string, FoldAlert>;
  /** error code → key of the latest alert of that code (open or not), for regression links. */
  lastByCode: Map<string, string>;
  /** messageKey → message: those the events name, and every queued one due to expire by then. */
  messages: Map<string, FoldMessage>;
  clock: Date | null;
  newAlertCount: number;
  expiryQueue: ExpiryQueue;
  /** How long a message is retried before it expires: the connector's queue lifetime. */
  lifetimeMs: number;
};

export function alertKeyOf(id: number): string {
  return `db:${id}`;
}

export function messageKey(messageId: string, recipient: string | null): string {
  return `${messageId}\u0000${recipient ?? ""}`;
}

export function createFoldState(input: {
  alerts: FoldAlert[];
  lastByCode: Map<string, string>;
  messages: FoldMessage[];
  clock: Date | null;
  /** The connector's queue lifetime; the hosted service's 24 hours when absent. */
  lifetimeMs?: number;
}): FoldState {
  const messages = new Map(input.messages.map((m) => [messageKey(m.messageId, m.recipient), m]));
  return {
    alerts: new Map(input.alerts.map((a) => [a.key, a])),
    lastByCode: new Map(input.lastByCode),
    messages,
    clock: input.clock,
    newAlertCount: 0,
    expiryQueue: new ExpiryQueue([...messages.values()].filter((m) => m.state === "QUEUED")),
    lifetimeMs: input.lifetimeMs ?? QUEUE_LIFETIME_MS,
  };
}

/** Folds `events` (already sorted by compareEvents, all later than state.clock) up to `until`. */
export function foldEvents(state: FoldState, events: readonly FoldEvent[], until: Date): void {
  for (const event of events) {
    expireUpTo(state, event.occurredAt);
    if (event.probe) applyProbe(state, event);
    else if (event.status === "DELIVERED") applyDelivery(state, event);
    else if (event.status === "EXPIRED") applyExpired(state, event);
    else applyFailure(state, event);
  }
  expireUpTo(state, until);
  if (!state.clock || until > state.clock) state.clock = until;
}

function applyDelivery(state: FoldState, e: FoldEvent): void {
  const at = e.occurredAt;
  const m = state.messages.get(messageKey(e.messageId, e.recipient));
  // A message delivered at its first attempt was never queued: nothing to track or store.
  if (m?.state === "QUEUED") {
    leaveAlert(state, m, at);
    Object.assign(m, { state: "DELIVERED", settledAt: at, lastAttemptAt: at, attempts: m.attempts + 1, dirty: true });
  }
  recover(state, at, "delivered");
}

/**
 * The connector works again: every matching open alert whose last failure came before is
 * recovering, and resolves when none of its messages is queued any more.
 */
function recover(state: FoldState, at: Date, reason: ResolvedReason): void {
  for (const alert of state.alerts.values()) {
    if (alert.resolvedAt === null && alert.recoveredAt === null && alert.lastSeenAt < at) {
      alert.recoveredAt = at;
      alert.dirty = true;
      tryResolve(alert, at, reason);
    }
  }
}

/**
 * A probe observation. A failure raises or continues the alert of its code like a message's
 * failure, without a message: nothing is queued, so nothing expires. A pass recovers the open
 * alerts like a delivery (an alert with queued messages still waits for them).
 */
function applyProbe(state: FoldState, e: FoldEvent): void {
  if (e.status === "DELIVERED") recover(state, e.occurredAt, "probe");
  else observeFailure(state, e);
}

/** The alert side of a failure: the open alert of its code, or a new one, takes the event. */
function observeFailure(state: FoldState, e: FoldEvent): FoldAlert {
  const at = e.occurredAt;
  const alert = openAlertFor(state, e.errorCode ?? UNKNOWN_CODE, at);
  alert.eventCount += 1;
  if (at < alert.firstSeenAt) alert.firstSeenAt = at;
  alert.lastSeenAt = at;
  alert.recoveredAt = null;
  alert.latestDetails = e.errorDetails;
  alert.latestDestination = e.destination;
  alert.latestEventAt = at;
  if (e.recipientDomain && !alert.affectedDomains.includes(e.recipientDomain)) {
    alert.affectedDomains = [...alert.affectedDomains, e.recipientDomain].sort();
  }
  alert.dirty = true;
  return alert;
}

function applyFailure(state: FoldState, e: FoldEvent): void {
  const at = e.occurredAt;
  const code = e.errorCode ?? UNKNOWN_CODE;
  const alert = observeFailure(state, e);

  const failed = e.status === "FAILED";
  let m = state.messages.get(messageKey(e.messageId, e.recipient));
  if (!m) {
    m = newMessage(state, e, failed ? "FAILED" : "QUEUED");
    m.errorCode = code;
    joinAlert(state, m, alert);
  } else if (m.state === "QUEUED") {
    waited(alert, at.getTime() - m.firstAttemptAt.getTime());
    Object.assign(m, { lastAttemptAt: at, attempts: m.attempts + 1, errorCode: code, dirty: true });
    if (m.alertKey !== alert.key) {
      leaveAlert(state, m, at);
      joinAlert(state, m, alert);
    }
  } else {
    return;
  }
  if (failed) settle(m, "FAILED", at, alert);
}

/**
 * The MTA gave up on a message and returned it to its sender (Postfix's status=expired): it
 * expires at that time, exactly as the connector's own queue lifetime would expire it, and counts
 * as expired on its alert. A message not seen queued before (its deferrals came earlier than
 * what was read) joins the alert of the event's code (its last deferral's) and expires there.
 * An expiry is no new failure: it neither counts as an event of the alert nor cancels a recovery.
 */
function applyExpired(state: FoldState, e: FoldEvent): void {
  const at = e.occurredAt;
  let m = state.messages.get(messageKey(e.messageId, e.recipient));
  if (m && m.state !== "QUEUED") return;
  if (!m) {
    const alert = openAlertFor(state, e.errorCode ?? UNKNOWN_CODE, at);
    if (e.recipientDomain && !alert.affectedDomains.includes(e.recipientDomain)) {
      alert.affectedDomains = [...alert.affectedDomains, e.recipientDomain].sort();
    }
    if (alert.latestEventAt === null) {
      alert.latestDetails = e.errorDetails;
      alert.latestDestination = e.destination;
      alert.latestEventAt = at;
    }
    m = newMessage(state, e, "QUEUED");
    m.errorCode = e.errorCode ?? UNKNOWN_CODE;
    joinAlert(state, m, alert);
  }
  const alert = m.alertKey ? state.alerts.get(m.alertKey) : undefined;
  m.lastAttemptAt = at;
  if (alert) waited(alert, at.getTime() - m.firstAttemptAt.getTime());
  settle(m, "EXPIRED", at, alert);
}

function openAlertFor(state: FoldState, code: string, at: Date): FoldAlert {
  const lastKey = state.lastByCode.get(code);
  const last = lastKey ? state.alerts.get(lastKey) : undefined;
  if (last && last.resolvedAt === null) return last;
  state.newAlertCount += 1;
  const alert: FoldAlert = {
    key: `new:${state.newAlertCount}`,
    id: null,
    errorCode: code,
    firstSeenAt: at,
    lastSeenAt: at,
    eventCount: 0,
    messageCount: 0,
    queuedCount: 0,
    expiredCount: 0,
    failedCount: 0,
    peakQueuedCount: 0,
    longestWaitSeconds: 0,
    affectedDomains: [],
    latestDetails: null,
    latestDestination: null,
    latestEventAt: null,
    recoveredAt: null,
    resolvedAt: null,
    resolvedReason: null,
    regressionOfKey: lastKey ?? null,
    dirty: true,
  };
  state.alerts.set(alert.key, alert);
  state.lastByCode.set(code, alert.key);
  return alert;
}

function newMessage(state: FoldState, e: FoldEvent, initial: MessageStateValue): FoldMessage {
  const m: FoldMessage = {
    id: null,
    messageId: e.messageId,
    recipient: e.recipient ?? "",
    sender: e.sender,
    state: initial,
    errorCode: null,
    alertKey: null,
    firstAttemptAt: e.occurredAt,
    lastAttemptAt: e.occurredAt,
    expiresAt: new Date(e.occurredAt.getTime() + state.lifetimeMs),
    settledAt: null,
    ndrAt: null,
    attempts: 1,
    dirty: true,
  };
  state.messages.set(messageKey(m.messageId, m.recipient), m);
  if (initial === "QUEUED") state.expiryQueue.push(m);
  return m;
}

function joinAlert(state: FoldState, m: FoldMessage, alert: FoldAlert): void {
  m.alertKey = alert.key;
  alert.messageCount += 1;
  if (m.state === "QUEUED") {
    alert.queuedCount += 1;
    if (alert.queuedCount > alert.peakQueuedCount) alert.peakQueuedCount = alert.queuedCount;
  }
}

function leaveAlert(state: FoldState, m: FoldMessage, at: Date): void {
  const alert = m.alertKey ? state.alerts.get(m.alertKey) : undefined;
  if (!alert || m.state !== "QUEUED") return;
  alert.queuedCount -= 1;
  alert.dirty = true;
  tryResolve(alert, at, "delivered");
}

function settle(m: FoldMessage, to: "FAILED" | "EXPIRED", at: Date, alert: FoldAlert | undefined): void {
  const wasQueued = m.state === "QUEUED";
  m.state = to;
  m.settledAt = at;
  m.ndrAt = at;
  m.dirty = true;
  if (!alert) return;
  if (wasQueued) alert.queuedCount -= 1;
  if (to === "FAILED") alert.failedCount += 1;
  else alert.expiredCount += 1;
  alert.dirty = true;
  tryResolve(alert, at, to === "EXPIRED" ? "expired" : "delivered");
}

function expireUpTo(state: FoldState, upTo: Date): void {
  for (let m = state.expiryQueue.popDue(upTo); m; m = state.expiryQueue.popDue(upTo)) {
    if (m.state !== "QUEUED") continue;
    const alert = m.alertKey ? state.alerts.get(m.alertKey) : undefined;
    if (alert) waited(alert, m.expiresAt.getTime() - m.firstAttemptAt.getTime());
    settle(m, "EXPIRED", m.expiresAt, alert);
  }
}

function tryResolve(alert: FoldAlert, at: Date, reason: ResolvedReason): void {
  if (alert.resolvedAt === null && alert.recoveredAt !== null && alert.queuedCount === 0) {
    alert.resolvedAt = at < alert.recoveredAt ? alert.recoveredAt : at;
    alert.resolvedReason = reason;
    alert.dirty = true;
  }
}

function waited(alert: FoldAlert, ms: number): void {
  const seconds = Math.floor(ms / 1000);
  if (seconds > alert.longestWaitSeconds) {
    alert.longestWaitSeconds = seconds;
    alert.dirty = true;
  }
}

/**
 * Severity needs the oldest message still queued. The fold holds just the messages it touched,
 * so the store loads, with the fold's state, each open alert's oldest queued message outside
 * those; the earlier of that and the fold's own oldest is what is passed here (planFoldWrites).
 */
export function alertSeverity(alert: FoldAlert, oldestQueuedAt: Date | null, clock: Date | null, t: SeverityThresholds): SeverityValue {
  const open = alert.resolvedAt === null && oldestQueuedAt !== null && clock !== null;
  return severityOf(
    {
      peakQueuedCount: alert.peakQueuedCount,
      longestWaitSeconds: alert.longestWaitSeconds,
      bounced: alert.expiredCount + alert.failedCount,
      currentWaitMs: open ? clock.getTime() - oldestQueuedAt.getTime() : null,
    },
    t,
  );
}

/**
 * Queued messages by expiry time. Messages loaded from the database are sorted once; messages
 * queued during the fold arrive in event order, so their expiry times only grow.
 */
class ExpiryQueue {
  private loaded: FoldMessage[];
  private added: FoldMessage[] = [];
  private i = 0;
  private j = 0;

  constructor(queued: FoldMessage[]) {
    this.loaded = queued.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  push(m: FoldMessage): void {
    this.added.push(m);
  }

  popDue(upTo: Date): FoldMessage | undefined {
    const a = this.loaded[this.i];
    const b = this.added[this.j];
    const next = a && (!b || a.expiresAt <= b.expiresAt) ? a : b;
    if (!next || next.expiresAt > upTo) return undefined;
    if (next === a) this.i += 1;
    else this.j += 1;
    return next;
  }
}
