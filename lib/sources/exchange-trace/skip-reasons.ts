// Pure: why a row (or one recipient of it) made no event. The summary counts rows by these keys;
// the command line prints the English words, the settings page its own texts (messages/*/sources.json,
// traceImport.skipped.<key>). A fixed set, so a hostile file cannot grow the summary.

export const SKIP_REASONS = {
  "not-an-attempt": "not a delivery attempt through a connector (RECEIVE, SUBMIT, EXPAND… or a status such as Expanded, Quarantined)",
  "mailbox-delivery": "delivered to a mailbox inside Exchange Online, through no connector",
  pending: "pending in a Get-MessageTraceV2 row: its deferrals and their codes are in Get-MessageTraceDetailV2's output",
  "no-connector": "no connector routes the recipient's domain",
  "unknown-connector": "its connector_id names a connector the product does not have",
  "retired-connector": "its connector is retired and takes no new events",
  "bad-date": "its time cannot be read",
  future: "its time is in the future",
  "too-old": "older than the event retention (EVENT_RETENTION_DAYS): events that old are no longer kept",
  "no-recipient": "no valid recipient address",
  "no-message-id": "no message id",
  malformed: "a garbled, cut or malformed line (it does not fit the header)",
  "not-text": "bytes that are not text in the file's encoding",
  rejected: "refused by ingest",
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

export const SKIP_REASON_KEYS = Object.keys(SKIP_REASONS) as SkipReason[];
