import { z } from "zod";
import { DOMAIN_TYPES } from "@/lib/db/enums";
import { connectorSettingsSchema, domainFieldsSchema } from "@/lib/organisation/connector-fields";

// The contract of the connector and accepted-domain writes: request bodies (strict) and answers.
const fields = connectorSettingsSchema.shape;
const atLeastOneField = (body: object) => Object.keys(body).length > 0;
const NOTHING_TO_CHANGE = { message: "name at least one field to change" };

/** POST /api/connectors: every field; the queue lifetime defaults to the hosted service's 24 hours. */
export const createConnectorBodySchema = connectorSettingsSchema;

/** What a client sends to add a connector, before the server normalises it. */
export type ConnectorBody = z.input<typeof createConnectorBodySchema>;

/** PATCH /api/connectors/:id: the fields to change (`{enabled}` alone enables or disables). */
export const connectorPatchSchema = z
  .object({
    name: fields.name,
    comment: fields.comment.unwrap(),
    kind: fields.kind,
    enabled: fields.enabled.unwrap(),
    useMxRecord: fields.useMxRecord.unwrap(),
    smartHosts: fields.smartHosts.unwrap(),
    recipientDomains: fields.recipientDomains.unwrap(),
    tlsMode: fields.tlsMode.unwrap(),
    tlsDomain: fields.tlsDomain.unwrap(),
    queueLifetimeMinutes: fields.queueLifetimeMinutes.unwrap(),
  })
  .partial()
  .strict()
  .refine(atLeastOneField, NOTHING_TO_CHANGE);

export type ConnectorPatch = z.output<typeof connectorPatchSchema>;

/** POST and DELETE /api/connectors/:id/retire take no body. */
export const emptyBodySchema = z.object({}).strict();

/** POST /api/domains */
export const createDomainBodySchema = domainFieldsSchema;

export type DomainBody = z.input<typeof createDomainBodySchema>;

/** PATCH /api/domains/:id: the type and the relaying connector; a domain's name is its identity. */
export const domainPatchSchema = domainFieldsSchema
  .pick({ type: true })
  .extend({ connectorId: domainFieldsSchema.shape.connectorId.unwrap() })
  .partial()
  .strict()
  .refine(atLeastOneField, NOTHING_TO_CHANGE);

export type DomainPatch = z.output<typeof domainPatchSchema>;

export const domainSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(DOMAIN_TYPES),
  connectorId: z.number().int().nullable(),
});

export type DomainRecord = z.infer<typeof domainSchema>;

/** The answer of a DELETE: what is gone. */
export const deletedSchema = z.object({ deleted: z.object({ id: z.number().int(), name: z.string() }) });

export type Deleted = z.infer<typeof deletedSchema>;
