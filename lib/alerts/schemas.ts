import { z } from "zod";
import { CODE_GROUPS } from "@/lib/alerts/codes";
import { ALERT_STATUSES, CONNECTOR_KINDS, DOMAIN_TYPES, QUEUE_STATES, SEVERITIES, TLS_MODES, type AlertStatus } from "@/lib/db/enums";

// The contract of the read API for alerts: query parameters in, response bodies out.
// Client components import the types from here, so nothing in this file touches the database.
export const OPEN_STATUSES = ["ACTIVE", "INVESTIGATING", "SNOOZED"] as const satisfies readonly AlertStatus[];
export const CLOSED_STATUSES = ["DISMISSED", "RESOLVED"] as const satisfies readonly AlertStatus[];
export const STATUS_FILTERS = ["active", "resolved", "all", ...ALERT_STATUSES] as const;
export const ALERT_SORTS = ["lastSeen", "firstSeen", "queued", "events", "severity"] as const;

export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_MESSAGES_PAGE_SIZE = 20;

export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type AlertSort = (typeof ALERT_SORTS)[number];
export type SortOrder = "asc" | "desc";

/** "450 4.4.316" and "4.4.316" name the same code; "other" is every code outside the catalogue. */
export const codeFilterSchema = z
  .string()
  .trim()
  .regex(/^(?:other|unknown|(?:[245]\d\d\s+)?[245]\.\d{1,3}\.\d{1,3})$/, "must be a code such as 4.4.316, `unknown` or `other`")
  .transform((code) => code.replace(/^[245]\d\d\s+/, ""));

export const alertListQuerySchema = z
  .object({
    status: z.enum(STATUS_FILTERS).default("active"),
    code: codeFilterSchema.optional(),
    connector: z.coerce.number().int().positive().optional(),
    q: z.string().trim().max(200).optional(),
    sort: z.enum(ALERT_SORTS).default("lastSeen"),
    order: z.enum(["asc", "desc"]).default("desc"),
    cursor: z.string().max(1000).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(DEFAULT_PAGE_SIZE),
  })
  .strict();

export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

export const alertDetailQuerySchema = z
  .object({
    messagesCursor: z.string().max(1000).optional(),
    messagesLimit: z.coerce.number().int().min(1).max(200).default(DEFAULT_MESSAGES_PAGE_SIZE),
  })
  .strict();

export type AlertDetailQuery = z.infer<typeof alertDetailQuerySchema>;

export const idParamSchema = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

const isoDate = z.iso.datetime({ offset: true });

export const connectorRefSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(CONNECTOR_KINDS),
  enabled: z.boolean(),
});

export const alertSummarySchema = z.object({
  id: z.number().int(),
  connector: connectorRefSchema,
  errorCode: z.string(),
  status: z.enum(ALERT_STATUSES),
  severity: z.enum(SEVERITIES),
  firstSeenAt: isoDate,
  lastSeenAt: isoDate,
  eventCount: z.number().int(),
  messageCount: z.number().int(),
  queuedCount: z.number().int(),
  expiredCount: z.number().int(),
  oldestQueuedAt: isoDate.nullable(),
  latestDestination: z.string().nullable(),
  resolvedAt: isoDate.nullable(),
  regressionOfId: z.number().int().nullable(),
  snoozedUntil: isoDate.nullable(),
  /** A maintenance window marks the alert as expected (lib/notify/maintenance.ts). */
  expected: z.object({ windowId: z.number().int(), reason: z.string(), endsAt: isoDate }).nullable(),
});

export type AlertSummary = z.infer<typeof alertSummarySchema>;

export const codeTotalSchema = z.object({
  code: z.enum(CODE_GROUPS as [string, ...string[]]),
  activeAlerts: z.number().int(),
  queued: z.number().int(),
});

export type CodeTotal = z.infer<typeof codeTotalSchema>;

export const alertListSchema = z.object({
  items: z.array(alertSummarySchema),
  nextCursor: z.string().nullable(),
  totals: z.array(codeTotalSchema),
});

export type AlertList = z.infer<typeof alertListSchema>;

const relatedAlertSchema = z.object({
  id: z.number().int(),
  status: z.enum(ALERT_STATUSES),
  firstSeenAt: isoDate,
  lastSeenAt: isoDate,
  resolvedAt: isoDate.nullable(),
});

export const queuedMessageSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  recipient: z.string(),
  sender: z.string().nullable(),
  state: z.enum(QUEUE_STATES),
  attempts: z.number().int(),
  firstAttemptAt: isoDate,
  lastAttemptAt: isoDate,
  expiresAt: isoDate,
  settledAt: isoDate.nullable(),
  ndrAt: isoDate.nullable(),
});

export type QueuedMessageView = z.infer<typeof queuedMessageSchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: isoDate,
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  note: z.string().nullable(),
});

export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const alertDetailSchema = z.object({
  alert: alertSummarySchema.extend({
    connector: connectorRefSchema.extend({ smartHosts: z.array(z.string()), tlsMode: z.enum(TLS_MODES) }),
    affectedDomains: z.array(z.string()),
    latestDetails: z.string().nullable(),
    latestEventAt: isoDate.nullable(),
    recoveredAt: isoDate.nullable(),
    resolvedReason: z.string().nullable(),
    acknowledgedBy: z.string().nullable(),
    acknowledgedAt: isoDate.nullable(),
    dismissedBy: z.string().nullable(),
    dismissedReason: z.string().nullable(),
    snoozedQueued: z.number().int().nullable(),
    remediatedBy: z.string().nullable(),
    remediatedAt: isoDate.nullable(),
  }),
  regressionOf: relatedAlertSchema.nullable(),
  regressions: z.array(relatedAlertSchema),
  histogram: z.array(z.object({ hour: isoDate, count: z.number().int() })),
  messages: z.object({ items: z.array(queuedMessageSchema), nextCursor: z.string().nullable() }),
  audit: z.array(auditEntrySchema),
  remediation: z
    .object({
      id: z.number().int(),
      kind: z.string(),
      appliedBy: z.string(),
      appliedAt: isoDate,
      before: z.unknown(),
      after: z.unknown(),
      undoneBy: z.string().nullable(),
      undoneAt: isoDate.nullable(),
    })
    .nullable(),
  domains: z.array(z.object({ id: z.number().int(), name: z.string(), type: z.enum(DOMAIN_TYPES) })),
});

export type AlertDetail = z.infer<typeof alertDetailSchema>;
