import type { EventStatus } from "@/lib/db/enums";

// Pure: the delivery event as the fold reads it, and the one total order every fold uses.
// Ingest and every source produce this shape (lib/events/normalize.ts); grouping owns it.
export type EventStatusValue = EventStatus;

export type FoldEvent = {
  clientId: string | null;
  occurredAt: Date;
  messageId: string;
  sender: string | null;
  recipient: string | null;
  recipientDomain: string | null;
  status: EventStatusValue;
  smtpStatus: number | null;
  errorCode: string | null;
  errorDetails: string | null;
  destination: string | null;
  /**
   * An observation of "Validate connector" (source "probe"), not a message: it raises, continues
   * or resolves alerts, and never queues or expires anything (docs/probe.md).
   */
  probe?: boolean;
};

/** The `source` of the events "Validate connector" writes (FoldEvent.probe). */
export const PROBE_SOURCE = "probe";

/** The code of a failure that carried no enhanced status code anywhere. */
export const UNKNOWN_CODE = "unknown";

/**
 * The warning a probe raises when a certificate expires within CERT_WARN_DAYS. It is the state of
 * a certificate, not an episode of the mail flow: the probe keeps its alert (lib/probe/cert-warning.ts)
 * and the fold never reads or writes it (lib/events/store.ts leaves it out), so a warning open for
 * weeks never holds a replay's quiet point back.
 */
export const CERT_EXPIRY_CODE = "cert-expiry";

const STATUS_RANK: Record<EventStatusValue, number> = { DEFERRED: 0, FAILED: 1, EXPIRED: 2, DELIVERED: 3 };

/**
 * The one total order every fold uses, so results never depend on arrival order:
 * time, then failures (a deferral, a permanent failure, an MTA's expiry) before deliveries, then
 * message, recipient, client id, details.
 */
export function compareEvents(a: FoldEvent, b: FoldEvent): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    cmp(a.messageId, b.messageId) ||
    cmp(a.recipient ?? "", b.recipient ?? "") ||
    cmp(a.errorCode ?? "", b.errorCode ?? "") ||
    cmp(a.clientId ?? "", b.clientId ?? "") ||
    cmp(a.errorDetails ?? "", b.errorDetails ?? "") ||
    cmp(a.destination ?? "", b.destination ?? "")
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
