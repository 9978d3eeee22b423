import { z } from "zod";
import { EVENT_STATUSES as STORED_EVENT_STATUSES, type EventStatus } from "@/lib/db/enums";

// The wire format of one delivery event (POST /api/events, npm run ingest, demo data). It is
// checked by validateEvent (lib/events/validate.ts), not by a zod object: ingest checks every
// event of every batch, and a zod object cost about 10 µs per event, a tenth of the whole
// ingest budget. The patterns are zod's own, so the rules are the ones zod applied.
export const MAX_EVENTS_PER_REQUEST = 5000;
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
export const MAX_ERROR_DETAILS_BYTES = 4096;

/** The wire spells the stored event statuses in lower case. */
export const EVENT_STATUSES = STORED_EVENT_STATUSES.map((s) => s.toLowerCase() as Lowercase<EventStatus>);

/** A validated event: strings trimmed (errorDetails excepted), absent optional fields undefined. */
export type EventInput = {
  id?: string;
  occurredAt: string;
  connector: number | string;
  messageId: string;
  sender?: string;
  recipient?: string;
  status: Lowercase<EventStatus>;
  errorCode?: string;
  errorDetails?: string;
  destination?: string;
};

export const ingestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), field: z.string(), message: z.string() })),
});

export type IngestResult = z.infer<typeof ingestResultSchema>;
