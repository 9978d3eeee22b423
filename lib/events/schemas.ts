import { z } from "zod";

// The wire format of one delivery event (POST /api/events, npm run ingest, demo data).
export const MAX_EVENTS_PER_REQUEST = 5000;
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
export const MAX_ERROR_DETAILS_BYTES = 4096;

const address = z.string().trim().max(320).email("must be an e-mail address");

export const eventInputSchema = z
  .object({
    id: z.string().trim().min(1).max(200).optional(),
    occurredAt: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00Z" }),
    connector: z.union([z.number().int().positive(), z.string().trim().min(1).max(64)]),
    messageId: z.string().trim().min(1).max(998),
    sender: address.optional(),
    recipient: address.optional(),
    status: z.enum(["deferred", "delivered", "failed"]),
    errorCode: z
      .string()
      .trim()
      .regex(/^(?:[245]\d\d\s+)?[245]\.\d{1,3}\.\d{1,3}$/, "must look like `450 4.4.316` or `4.4.316`")
      .optional(),
    errorDetails: z
      .string()
      .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_ERROR_DETAILS_BYTES, "must be at most 4 KB")
      .optional(),
    destination: z.string().trim().max(255).optional(),
  })
  .strict();

export type EventInput = z.infer<typeof eventInputSchema>;

export const ingestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), field: z.string(), message: z.string() })),
});

export type IngestResult = z.infer<typeof ingestResultSchema>;
