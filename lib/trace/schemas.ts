import { z } from "zod";
import { ALERT_STATUSES, EVENT_STATUSES, QUEUE_STATES, SEVERITIES } from "@/lib/db/enums";

// The contract of the message-trace API: response bodies out. Client components import the types
// from here, so nothing in this file touches the database.

/** A message's state for one recipient: from its latest attempt, or its queue's when that was a deferral. */
export const TRACE_STATES = ["delivered", "queued", "expired", "failed", "rejected"] as const;
export type TraceState = (typeof TRACE_STATES)[number];

const connectorRef = z.object({ id: z.number().int(), name: z.string() });

export const traceRowSchema = z.object({
  id: z.string(),
  connector: connectorRef,
  messageId: z.string(),
  sender: z.string().nullable(),
  recipient: z.string(),
  firstAttemptAt: z.string(),
  lastAttemptAt: z.string(),
  attempts: z.number().int(),
  state: z.enum(TRACE_STATES),
  lastCode: z.string().nullable(),
  source: z.string(),
});

export const traceListSchema = z.object({
  items: z.array(traceRowSchema),
  nextCursor: z.string().nullable(),
  range: z.object({ from: z.string(), to: z.string() }),
});

export const traceAttemptSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  status: z.enum(EVENT_STATUSES),
  smtpStatus: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorDetails: z.string().nullable(),
  destination: z.string().nullable(),
  source: z.string(),
});

export const traceStorySchema = z.object({
  message: traceRowSchema,
  attempts: z.array(traceAttemptSchema),
  /** More attempts exist than the story lists (the oldest ones are listed). */
  attemptsTruncated: z.boolean(),
  queue: z
    .object({
      state: z.enum(QUEUE_STATES),
      expiresAt: z.string(),
      settledAt: z.string().nullable(),
      ndrAt: z.string().nullable(),
    })
    .nullable(),
  alert: z.object({ id: z.number().int(), errorCode: z.string(), status: z.enum(ALERT_STATUSES), severity: z.enum(SEVERITIES), firstSeenAt: z.string() }).nullable(),
  remediation: z.object({ id: z.number().int(), alertId: z.number().int(), appliedBy: z.string(), appliedAt: z.string(), undoneAt: z.string().nullable() }).nullable(),
  /** The same message id's other recipients and connectors. */
  related: z.array(z.object({ id: z.string(), recipient: z.string(), connector: connectorRef, state: z.enum(TRACE_STATES) })),
});

export type TraceRow = z.infer<typeof traceRowSchema>;
export type TraceList = z.infer<typeof traceListSchema>;
export type TraceStory = z.infer<typeof traceStorySchema>;

/** A traced row's id in a path: TraceMessage ids are bigints. */
export const traceIdParamSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,18}$/, "must be a traced message's id").transform(BigInt) });

/** The search's cursor, apart from the search's own parameters (lib/trace/search.ts). */
export const traceCursorParamSchema = z.string().max(200).optional();
