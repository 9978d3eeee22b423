import { AlertStatus, ConnectorKind, DomainType, EventStatus, QueueState, Role, Severity, TenantSync, TlsMode } from "@/lib/generated/prisma/enums";

// The database's enums as lists, derived once from the generated client so no other file
// restates them. The generated enums module has no imports (no Prisma runtime, no pg), so client
// components may import this file. Lists keep the schema's order, which is also the order
// Postgres sorts enum columns in: roles rise in power, severities and queue states run from
// first to last, and the code that ranks them (lib/auth/roles.ts, lib/alerts/list-params.ts,
// the message keyset in lib/alerts/queries.ts) relies on it.

export type { AlertStatus, ConnectorKind, DomainType, EventStatus, QueueState, Role, Severity, TenantSync, TlsMode };

export const ALERT_STATUSES = valuesOf(AlertStatus);
export const CONNECTOR_KINDS = valuesOf(ConnectorKind);
export const DOMAIN_TYPES = valuesOf(DomainType);
export const EVENT_STATUSES = valuesOf(EventStatus);
export const QUEUE_STATES = valuesOf(QueueState);
export const ROLES = valuesOf(Role);
export const SEVERITIES = valuesOf(Severity);
export const TENANT_SYNC_STATES = valuesOf(TenantSync);
export const TLS_MODES = valuesOf(TlsMode);

/** An enum object's values in declaration order, typed as the non-empty tuple `z.enum` takes. */
function valuesOf<const E extends Record<string, string>>(values: E): readonly [E[keyof E], ...E[keyof E][]] {
  return Object.values(values) as [E[keyof E], ...E[keyof E][]];
}
