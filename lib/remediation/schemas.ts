import { z } from "zod";
import { ALERT_STATUSES, DOMAIN_TYPES, TENANT_SYNC_STATES } from "@/lib/db/enums";

// The Fix now contract: the request body, the before/after record kept on a Remediation row,
// and the view the dialog and panel read. Client components import types from here.
export const fixNowBodySchema = z
  .object({
    /** The domains the dialog showed; when the plan changed since, the apply is refused. */
    expectedDomainIds: z.array(z.number().int().positive()).max(10_000).optional(),
  })
  .strict();

export type FixNowBody = z.infer<typeof fixNowBodySchema>;

const idName = { id: z.number().int(), name: z.string() };
const isoString = z.iso.datetime({ offset: true });

export const remediationBeforeSchema = z.object({
  connector: z.object({ ...idName, enabled: z.boolean() }),
  domains: z.array(z.object({ ...idName, type: z.enum(DOMAIN_TYPES) })),
  alert: z.object({
    status: z.enum(ALERT_STATUSES),
    resolvedAt: isoString.nullable(),
    resolvedReason: z.string().nullable(),
    queuedCount: z.number().int(),
    oldestQueuedAt: isoString.nullable(),
  }),
});

export const remediationAfterSchema = z.object({
  connector: z.object({ ...idName, enabled: z.boolean() }),
  domains: z.array(z.object({ ...idName, type: z.enum(DOMAIN_TYPES) })),
  rejectedMessageIds: z.array(z.string()),
});

export type RemediationBefore = z.infer<typeof remediationBeforeSchema>;
export type RemediationAfter = z.infer<typeof remediationAfterSchema>;

export const FIX_NOW_BLOCKS = ["already_remediated", "wrong_code", "partner_connector", "alert_closed"] as const;

export const fixNowViewSchema = z.object({
  alertId: z.number().int(),
  errorCode: z.string(),
  /** Fix now exists for this alert's code and connector kind at all. */
  offered: z.boolean(),
  eligible: z.boolean(),
  blockedBy: z.enum(FIX_NOW_BLOCKS).nullable(),
  plan: z
    .object({
      connector: z.object({ ...idName, enabled: z.boolean() }),
      domains: z.array(z.object(idName)),
      queuedMessages: z.number().int(),
      /** The same change in Exchange Online PowerShell, for the admin to run in the tenant. */
      powershell: z.array(z.string()),
    })
    .nullable(),
  /** The latest Fix now of this alert, live or undone. */
  remediation: z
    .object({
      id: z.number().int(),
      appliedBy: z.string(),
      appliedAt: isoString,
      undoneBy: z.string().nullable(),
      undoneAt: isoString.nullable(),
      /** The connector as it was before Fix now (Undo puts it back so). */
      connector: z.object({ ...idName, enabled: z.boolean() }),
      /** The domains Fix now made Authoritative. */
      domains: z.array(z.object(idName)),
      rejectedMessages: z.number().int(),
      /** Fix now's commands for the tenant, and Undo's. */
      powershell: z.array(z.string()),
      undoPowershell: z.array(z.string()),
      /** Whether an Exchange import has shown the tenant in this Fix now's (or its Undo's) state. */
      tenantState: z.enum(TENANT_SYNC_STATES),
      tenantCheckedAt: isoString.nullable(),
    })
    .nullable(),
});

export type FixNowView = z.infer<typeof fixNowViewSchema>;
