import { z } from "zod";
import { auditEntrySchema, connectorRefSchema } from "@/lib/alerts/schemas";
import { DOMAIN_TYPES } from "@/lib/db/enums";

// The contract of GET /api/domains.
export const domainViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(DOMAIN_TYPES),
  connector: connectorRefSchema.extend({ retiredAt: z.iso.datetime({ offset: true }).nullable() }).nullable(),
  changes: z.array(auditEntrySchema),
});

export type DomainView = z.infer<typeof domainViewSchema>;

export const domainListSchema = z.object({ items: z.array(domainViewSchema) });

export type DomainList = z.infer<typeof domainListSchema>;

/** A connector offered as a domain's relay. */
export type RelayChoice = { id: number; name: string; retired: boolean };
