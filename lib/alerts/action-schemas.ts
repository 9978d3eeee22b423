import { z } from "zod";
import { ALERT_STATUSES } from "@/lib/db/enums";

// The body of POST /api/alerts/:id/actions: one of four actions, each with only its own fields.
export const DISMISS_REASON_MAX = 500;
export const SNOOZE_MAX_DAYS = 30;

export const alertActionBodySchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("acknowledge") }).strict(),
  z
    .object({
      action: z.literal("dismiss"),
      reason: z.string().trim().min(3, "say in a few words why the alert is dismissed").max(DISMISS_REASON_MAX),
    })
    .strict(),
  z
    .object({
      action: z.literal("snooze"),
      until: z.iso.datetime({ offset: true, error: "must be a date and time such as 2026-11-28T09:00:00Z" }),
    })
    .strict(),
  z.object({ action: z.literal("unsnooze") }).strict(),
]);

export type AlertActionBody = z.infer<typeof alertActionBodySchema>;
export type AlertActionName = AlertActionBody["action"];

const isoOut = z.iso.datetime({ offset: true });

/** The answer of POST /api/alerts/:id/actions: the alert's action fields after the change. */
export const alertActionResultSchema = z.object({
  id: z.number().int(),
  status: z.enum(ALERT_STATUSES),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: isoOut.nullable(),
  dismissedBy: z.string().nullable(),
  dismissedReason: z.string().nullable(),
  snoozedUntil: isoOut.nullable(),
  snoozedQueued: z.number().int().nullable(),
});

export type AlertActionResult = z.infer<typeof alertActionResultSchema>;
