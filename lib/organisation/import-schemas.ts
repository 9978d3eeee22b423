import { z } from "zod";
import { DOMAIN_TYPES } from "@/lib/db/enums";
import { connectorFieldsSchema, domainNameSchema } from "@/lib/organisation/connector-fields";

// The contract of the Exchange import: the tenant state kept with a preview, the preview the
// admin sees, the apply request and its answer. Client components import types from here.

/** What the files showed, as stored on OrgImport.tenant (lib/organisation/exchange/read.ts). */
export const tenantStateSchema = z.object({
  files: z.array(z.string()),
  connectors: z.array(connectorFieldsSchema).nullable(),
  domains: z.array(z.object({ name: domainNameSchema, type: z.enum(DOMAIN_TYPES) })).nullable(),
});

/** A field's value as the preview shows it: enum values as they are, connectors by name. */
export const fieldValueSchema = z.union([z.string(), z.boolean(), z.array(z.string()), z.null()]);
export type FieldValue = z.infer<typeof fieldValueSchema>;
/** The fields whose values are enum values (shown in words), not names or free text. */
export const ENUM_FIELDS: ReadonlySet<string> = new Set(["kind", "tlsMode", "type"]);

const fieldChangeSchema = z.object({ field: z.string(), before: fieldValueSchema, after: fieldValueSchema });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

const addedSchema = z.object({ name: z.string(), values: z.array(z.object({ field: z.string(), value: fieldValueSchema })) });
const changedSchema = z.object({ id: z.number().int(), name: z.string(), changes: z.array(fieldChangeSchema) });

const domainSectionSchema = z.object({
  added: z.array(addedSchema),
  changed: z.array(changedSchema),
  unchanged: z.array(z.string()),
  /** In the product, not in the files: kept, never deleted by an import. */
  onlyHere: z.array(z.string()),
});

const connectorSectionSchema = domainSectionSchema.extend({
  /** In the files, but retired in the product: left retired (an import never brings one back). */
  retired: z.array(z.string()),
});

const remediationRefSchema = z.object({
  remediationId: z.number().int(),
  alertId: z.number().int(),
  connector: z.string(),
  /** The Fix now was undone in the product: it is its Undo that waits for the tenant. */
  undone: z.boolean(),
});

/** A pending Fix now (or Undo) whose fields the files show otherwise than the product. */
export const conflictSchema = remediationRefSchema.extend({
  fields: z.array(
    z.object({
      target: z.enum(["connector", "domain"]),
      id: z.number().int(),
      name: z.string(),
      field: z.enum(["enabled", "type"]),
      product: fieldValueSchema,
      tenant: fieldValueSchema,
    }),
  ),
});
export type ImportConflict = z.infer<typeof conflictSchema>;

export const importPreviewSchema = z.object({
  files: z.array(z.string()),
  /** null when no file held connectors (or accepted domains): that side is left alone. */
  connectors: connectorSectionSchema.nullable(),
  domains: domainSectionSchema.nullable(),
  conflicts: z.array(conflictSchema),
  /** Pending remediations the files show done in the tenant: marked confirmed on apply. */
  confirmations: z.array(remediationRefSchema),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

/** POST /api/organisation/import answers the stored preview with its id. */
export const storedPreviewSchema = importPreviewSchema.extend({ id: z.string(), createdAt: z.iso.datetime({ offset: true }) });
export type StoredPreview = z.infer<typeof storedPreviewSchema>;

export const RESOLUTIONS = ["keep", "tenant"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** POST /api/organisation/import/:id/apply: a choice per conflict, by remediation id. */
export const applyBodySchema = z
  .object({ resolutions: z.record(z.string().regex(/^\d{1,9}$/, "must be a remediation id"), z.enum(RESOLUTIONS)).default({}) })
  .strict();
export type ApplyBody = z.infer<typeof applyBodySchema>;

export const importIdSchema = z.object({ id: z.uuid("is not an import id") });

export const applyResultSchema = z.object({
  id: z.string(),
  appliedBy: z.string(),
  appliedAt: z.iso.datetime({ offset: true }),
  counts: z.object({
    connectorsAdded: z.number().int(),
    connectorsChanged: z.number().int(),
    domainsAdded: z.number().int(),
    domainsChanged: z.number().int(),
    confirmed: z.number().int(),
    undone: z.number().int(),
    kept: z.number().int(),
  }),
});
export type ApplyResult = z.infer<typeof applyResultSchema>;
