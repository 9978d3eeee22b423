import { compareEvents } from "@/lib/grouping/event";
import type { StoredEvent } from "@/lib/events/fold-rows";

// Pure: what a batch of stored events adds to the message trace (the TraceMessage rows), one row
// per connector, message and recipient. lib/events/store.ts merges these rows into the table in
// the statement that stores the events; the merge there applies the same rules as this reduction.

export type TraceSummary = {
  connectorId: number;
  messageId: string;
  recipient: string;
  recipientDomain: string | null;
  sender: string | null;
  firstAttemptAt: Date;
  lastAttemptAt: Date;
  attempts: number;
  /** The latest attempt in the fold's order (compareEvents): its status decides the row's. */
  last: StoredEvent;
  lastCode: string | null;
  lastCodeAt: Date | null;
};

/** Folds the events into one row per connector, message and recipient; probe observations are not mail and are left out. */
export function traceRows(events: readonly StoredEvent[]): TraceSummary[] {
  const rows = new Map<string, TraceSummary>();
  for (const e of events) {
    if (e.probe) continue;
    const recipient = e.recipient ?? "";
    const key = `${e.connectorId}\u0000${e.messageId}\u0000${recipient}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        connectorId: e.connectorId, messageId: e.messageId, recipient, recipientDomain: e.recipientDomain, sender: e.sender,
        firstAttemptAt: e.occurredAt, lastAttemptAt: e.occurredAt, attempts: 1, last: e,
        lastCode: e.errorCode, lastCodeAt: e.errorCode === null ? null : e.occurredAt,
      });
      continue;
    }
    row.attempts += 1;
    if (e.occurredAt < row.firstAttemptAt) row.firstAttemptAt = e.occurredAt;
    // Every attempt of a message names the same sender; some sources name it on one line only.
    row.sender ??= e.sender;
    if (compareEvents(e, row.last) > 0) {
      row.last = e;
      row.lastAttemptAt = e.occurredAt;
    }
    if (e.errorCode !== null && (row.lastCodeAt === null || e.occurredAt >= row.lastCodeAt)) {
      row.lastCode = e.errorCode;
      row.lastCodeAt = e.occurredAt;
    }
  }
  return [...rows.values()];
}
