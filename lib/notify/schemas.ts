import { z } from "zod";
import { CHANNEL_KINDS, NOTIFICATION_TRIGGERS } from "@/lib/notify/types";

// Request bodies of the notification settings (channels, rules, maintenance windows) and the
// records the service answers with. A channel record never carries its secret: only secretHint.

const name = z.string().trim().min(1).max(100);
const settings = z.record(z.string(), z.unknown());
const secret = z.string().min(1).max(4096);

export const channelCreateSchema = z.object({
  name,
  kind: z.enum(CHANNEL_KINDS),
  language: z.enum(["en", "sv"]).default("en"),
  settings: settings.default({}),
  secret: secret.nullable().default(null),
  enabled: z.boolean().default(true),
}).strict();

/** `secret` left out keeps the saved one; null removes it; a string replaces it. */
export const channelPatchSchema = z.object({
  name: name.optional(),
  language: z.enum(["en", "sv"]).optional(),
  settings: settings.optional(),
  secret: secret.nullable().optional(),
  enabled: z.boolean().optional(),
}).strict();

const timeZone = z.string().min(1).max(64).refine(isTimeZone, "Enter an IANA time zone, e.g. Europe/Stockholm.");

const ruleFields = {
  channelId: z.number().int().positive(),
  triggers: z.array(z.enum(NOTIFICATION_TRIGGERS)).max(NOTIFICATION_TRIGGERS.length),
  codes: z.array(z.string().trim().min(1).max(40)).max(100),
  connectorIds: z.array(z.number().int().positive()).max(1000),
  severities: z.array(z.enum(["LOW", "MEDIUM", "HIGH"])).max(3),
  dailyLimit: z.number().int().min(1).max(10_000),
  groupMinutes: z.number().int().min(0).max(24 * 60),
  timeZone,
  enabled: z.boolean(),
};

export const ruleCreateSchema = z.object({
  channelId: ruleFields.channelId,
  triggers: ruleFields.triggers.default([]),
  codes: ruleFields.codes.default([]),
  connectorIds: ruleFields.connectorIds.default([]),
  severities: ruleFields.severities.default([]),
  dailyLimit: ruleFields.dailyLimit.default(100),
  groupMinutes: ruleFields.groupMinutes.default(5),
  timeZone: ruleFields.timeZone.default("UTC"),
  enabled: ruleFields.enabled.default(true),
}).strict();

/** Without defaults: a field left out keeps its saved value. */
export const rulePatchSchema = z.object(ruleFields).partial().strict();

export const windowCreateSchema = z.object({
  connectorId: z.number().int().positive(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1).max(500),
}).strict().refine((w) => Date.parse(w.endsAt) > Date.parse(w.startsAt), { path: ["endsAt"], message: "The window must end after it starts." });

export const notificationLogParamsSchema = z.object({
  channelId: z.coerce.number().int().positive().optional(),
  state: z.enum(["PENDING", "RETRYING", "DELIVERED", "GIVEN_UP", "SUPPRESSED"]).optional(),
  /** The last id of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export type ChannelCreate = z.input<typeof channelCreateSchema>;
export type ChannelPatch = z.input<typeof channelPatchSchema>;
export type RuleCreate = z.input<typeof ruleCreateSchema>;
export type RulePatch = z.input<typeof rulePatchSchema>;
export type WindowCreate = z.input<typeof windowCreateSchema>;
export type NotificationLogParams = z.input<typeof notificationLogParamsSchema>;

export type ChannelRecord = Readonly<{
  id: number; name: string; kind: string; language: string; settings: Record<string, unknown>;
  hasSecret: boolean; secretHint: string | null; enabled: boolean; createdAt: string; updatedAt: string;
}>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// What the API answers, parsed by the browser (components/notifications/notify-queries.ts).
const iso = z.string();
export const channelRecordSchema = z.object({
  id: z.number().int(), name: z.string(), kind: z.enum(CHANNEL_KINDS), language: z.enum(["en", "sv"]), settings: settings,
  hasSecret: z.boolean(), secretHint: z.string().nullable(), enabled: z.boolean(), createdAt: iso, updatedAt: iso,
});
export const channelListSchema = z.object({ channels: z.array(channelRecordSchema) });
export const ruleRecordSchema = z.object({
  id: z.number().int(), channelId: z.number().int(), triggers: z.array(z.enum(NOTIFICATION_TRIGGERS)), codes: z.array(z.string()),
  connectorIds: z.array(z.number().int()), severities: z.array(z.enum(["LOW", "MEDIUM", "HIGH"])), dailyLimit: z.number().int(),
  groupMinutes: z.number().int(), timeZone: z.string(), enabled: z.boolean(),
});
export const ruleListSchema = z.object({ rules: z.array(ruleRecordSchema) });
export const windowRecordSchema = z.object({
  id: z.number().int(), connectorId: z.number().int(), startsAt: iso, endsAt: iso, reason: z.string(), createdBy: z.string().nullable(),
});
export const windowListSchema = z.object({ windows: z.array(windowRecordSchema) });
export const testOutcomeSchema = z.object({ delivered: z.boolean(), retryable: z.boolean(), detail: z.string().nullable() });
export const notificationLogPageSchema = z.object({
  entries: z.array(z.object({
    id: z.number().int(), createdAt: iso, channelId: z.number().int(), channel: z.string(), kind: z.string(), trigger: z.string(),
    connectorId: z.number().int(), connector: z.string().nullable(), errorCode: z.string(),
    state: z.enum(["PENDING", "RETRYING", "DELIVERED", "GIVEN_UP", "SUPPRESSED"]), attempts: z.number().int(),
    nextAttemptAt: iso.nullable(), lastError: z.string().nullable(), deliveredAt: iso.nullable(),
  })),
  nextBefore: z.number().int().nullable(),
});

export type ChannelView = z.infer<typeof channelRecordSchema>;
export type RuleView = z.infer<typeof ruleRecordSchema>;
export type WindowView = z.infer<typeof windowRecordSchema>;
export type NotificationLogPage = z.infer<typeof notificationLogPageSchema>;
export type TestOutcome = z.infer<typeof testOutcomeSchema>;
