import type { Severity } from "@/lib/db/enums";

// Pure: how serious an alert is. Documented in docs/grouping.md; thresholds come from env.
export type SeverityValue = Severity;

export type SeverityThresholds = { highQueued: number; highWaitMs: number };

export type SeverityInputs = {
  peakQueuedCount: number;
  longestWaitSeconds: number;
  bounced: number;
  /** Only for open alerts: how long the oldest still-queued message has waited now. */
  currentWaitMs: number | null;
};

/** Queued at once at or above which an alert is MEDIUM even without bounces. */
export const MEDIUM_QUEUED = 20;

/**
 * HIGH: at some point `highQueued` messages were queued at once (the source service's default
 * alert threshold is 200), or a message has waited `highWaitMs` (default an hour).
 * MEDIUM: 20 or more were queued at once, or messages went back to their senders.
 * LOW: a few messages were delayed briefly.
 */
export function severityOf(inputs: SeverityInputs, t: SeverityThresholds): SeverityValue {
  const waitedMs = Math.max(inputs.longestWaitSeconds * 1000, inputs.currentWaitMs ?? 0);
  if (inputs.peakQueuedCount >= t.highQueued || waitedMs >= t.highWaitMs) return "HIGH";
  if (inputs.peakQueuedCount >= MEDIUM_QUEUED || inputs.bounced > 0) return "MEDIUM";
  return "LOW";
}
