import { z } from "zod";
import { alertSummarySchema, auditEntrySchema, codeFilterSchema } from "@/lib/alerts/schemas";
import { CONNECTOR_KINDS, DOMAIN_TYPES, EVENT_STATUSES, SEVERITIES, TLS_MODES } from "@/lib/db/enums";
import { validationMarkSchema } from "@/lib/probe/schemas";

// The contract of the connector read API: the list, the history of one connector and its events.
export const HISTORY_BUCKETS = ["hour", "day"] as const;
export const MAX_HISTORY_DAYS = 90;
export const MAX_HISTORY_BUCKETS = 2000;
/** The newest validations of a range that the timeline shows; a schedule every few minutes would make thousands. */
export const MAX_HISTORY_VALIDATIONS = 100;

export type HistoryBucket = (typeof HISTORY_BUCKETS)[number];

const isoDate = z.iso.datetime({ offset: true });
const dateParam = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00Z" });

export const historyQuerySchema = z
  .object({
    from: dateParam.optional(),
    to: dateParam.optional(),
    bucket: z.enum(HISTORY_BUCKETS).default("hour"),
  })
  .strict();

export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const eventsQuerySchema = z
  .object({
    from: dateParam.optional(),
    to: dateParam.optional(),
    status: z.enum(EVENT_STATUSES).optional(),
    code: codeFilterSchema.optional(),
    cursor: z.string().max(1000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(25),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ["to"], message: "must be after from" });

export type EventsQuery = z.infer<typeof eventsQuerySchema>;

const domainRefSchema = z.object({ id: z.number().int(), name: z.string(), type: z.enum(DOMAIN_TYPES) });

/** A connector's stored settings; retired connectors keep their history and take no events. */
export const connectorRecordSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  comment: z.string().nullable(),
  kind: z.enum(CONNECTOR_KINDS),
  enabled: z.boolean(),
  useMxRecord: z.boolean(),
  smartHosts: z.array(z.string()),
  recipientDomains: z.array(z.string()),
  tlsMode: z.enum(TLS_MODES),
  tlsDomain: z.string().nullable(),
  /** How long the MTA behind the connector retries a message before it expires (minutes). */
  queueLifetimeMinutes: z.number().int(),
  retiredAt: isoDate.nullable(),
  retiredBy: z.string().nullable(),
  /** The demo organisation's: made-up public hosts, never probed. */
  demo: z.boolean(),
});

export type ConnectorRecord = z.infer<typeof connectorRecordSchema>;

export const connectorViewSchema = connectorRecordSchema.extend({
  /** A connector with events is retired, never deleted. */
  hasEvents: z.boolean(),
  domains: z.array(domainRefSchema),
  health: z.enum(["healthy", "failing"]),
  openAlerts: z.array(
    z.object({ id: z.number().int(), errorCode: z.string(), severity: z.enum(SEVERITIES), queuedCount: z.number().int() }),
  ),
  queued: z.number().int(),
});

export type ConnectorView = z.infer<typeof connectorViewSchema>;

export const connectorListSchema = z.object({ items: z.array(connectorViewSchema) });

export type ConnectorList = z.infer<typeof connectorListSchema>;

export const historySchema = z.object({
  connector: connectorViewSchema.pick({ id: true, name: true, kind: true, enabled: true, retiredAt: true, demo: true }),
  from: isoDate,
  to: isoDate,
  bucket: z.enum(HISTORY_BUCKETS),
  /** Every bucket of the range, oldest first; `counts` maps "delivered" and error codes to event counts. */
  buckets: z.array(z.object({ start: isoDate, counts: z.record(z.string(), z.number().int()) })),
  codes: z.array(z.string()),
  alerts: z.array(alertSummarySchema),
  changes: z.array(auditEntrySchema),
  /** Validations in the range, oldest first: the newest MAX_HISTORY_VALIDATIONS of them. */
  validations: z.array(validationMarkSchema),
});

export type ConnectorHistory = z.infer<typeof historySchema>;

export const deliveryEventSchema = z.object({
  id: z.string(),
  occurredAt: isoDate,
  messageId: z.string(),
  sender: z.string().nullable(),
  recipient: z.string().nullable(),
  status: z.enum(EVENT_STATUSES),
  errorCode: z.string().nullable(),
  errorDetails: z.string().nullable(),
  destination: z.string().nullable(),
  /** Where the event came from: api, demo, probe, postfix, exchange-trace, exchange-tracking… */
  source: z.string(),
});

export type DeliveryEventView = z.infer<typeof deliveryEventSchema>;

export const eventsPageSchema = z.object({ items: z.array(deliveryEventSchema), nextCursor: z.string().nullable() });

export type EventsPage = z.infer<typeof eventsPageSchema>;
