import { z } from "zod";

// The contract of "Validate connector" over HTTP: the request body, the streamed lines of a run,
// a stored validation and the history's pages. The browser parses every answer with these too.
const isoDate = z.iso.datetime({ offset: true });

export const STEP_NAMES = ["resolve", "safety", "connect", "greeting", "ehlo", "starttls", "tls", "certificate", "mail", "rcpt", "quit"] as const;
export const VALIDATION_TRIGGERS = ["manual", "scheduled", "command-line"] as const;
export const MAX_VALIDATIONS_PAGE = 50;

/** POST /api/connectors/:id/validations; an empty body validates without a test recipient. */
export const validationRequestSchema = z
  .object({
    recipient: z
      .string()
      .trim()
      .max(320)
      .optional()
      .transform((v) => (v === "" ? undefined : v)),
  })
  .strict();

export const validationsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_VALIDATIONS_PAGE).default(10),
    before: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  })
  .strict();

export type ValidationsQuery = z.infer<typeof validationsQuerySchema>;

export const targetAddressSchema = z.object({ host: z.string(), address: z.string().nullable(), port: z.number().int() });

export const probeStepSchema = z.object({
  name: z.enum(STEP_NAMES),
  ok: z.boolean(),
  ms: z.number(),
  /** The server's words as plain text: render as text, never as markup. */
  seen: z.string(),
  error: z.string().optional(),
});

export type ProbeStepView = z.infer<typeof probeStepSchema>;

export const certificateSchema = z.object({
  host: z.string(),
  subject: z.string(),
  names: z.array(z.string()),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  tlsVersion: z.string(),
  cipher: z.string(),
});

export type CertificateView = z.infer<typeof certificateSchema>;

export const targetResultSchema = targetAddressSchema.extend({ steps: z.array(probeStepSchema), certificate: certificateSchema.nullable() });

export type TargetView = z.infer<typeof targetResultSchema>;

export const validationRecordSchema = z.object({
  id: z.number().int(),
  connectorId: z.number().int(),
  trigger: z.enum(VALIDATION_TRIGGERS),
  actor: z.string(),
  recipient: z.string().nullable(),
  startedAt: isoDate,
  durationMs: z.number().int(),
  outcome: z.enum(["passed", "failed"]),
  errorCode: z.string().nullable(),
  summary: z.string().nullable(),
  targets: z.array(targetResultSchema),
  certExpiresAt: isoDate.nullable(),
});

export type ValidationView = z.infer<typeof validationRecordSchema>;

export const validationPageSchema = z.object({ items: z.array(validationRecordSchema), nextBefore: z.number().int().nullable() });

export type ValidationPageView = z.infer<typeof validationPageSchema>;

/** One validation on the connector's timeline: what happened, without its steps. */
export const validationMarkSchema = validationRecordSchema.pick({
  id: true,
  trigger: true,
  actor: true,
  recipient: true,
  startedAt: true,
  durationMs: true,
  outcome: true,
  errorCode: true,
});

export type ValidationMark = z.infer<typeof validationMarkSchema>;

/** One line of the streamed answer (application/x-ndjson): each step as it completes, then the stored run or why it stopped. */
export const validationLineSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("step"), target: targetAddressSchema, step: probeStepSchema }),
  z.object({ type: z.literal("result"), validation: validationRecordSchema }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);

export type ValidationLine = z.infer<typeof validationLineSchema>;
