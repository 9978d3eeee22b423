import { createHash } from "node:crypto";
import type { DomainType, TenantSync } from "@/lib/db/enums";
import type { ConnectorFields } from "@/lib/organisation/connector-fields";
import type { TenantState } from "@/lib/organisation/exchange/read";
import type { FieldChange, FieldValue, ImportConflict, ImportPreview } from "@/lib/organisation/import-schemas";
import { findRemediationStates } from "@/lib/organisation/import-remediations";
import { routeRecipientDomain } from "@/lib/organisation/route-match";

// Pure: what an Exchange import changes (docs/organisation.md, "Preview"). Objects are matched
// by name (connectors case-insensitively, as Exchange compares them); the files' values win,
// except for the fields of a pending Fix now that the admin chose to keep; nothing only in the
// product is deleted, and a retired connector stays retired. The same function gives the
// preview and, on apply, the writes, so the admin applies what they saw.

export type ProductConnector = ConnectorFields & { id: number; retired: boolean };
export type ProductDomain = { id: number; name: string; type: DomainType; connectorId: number | null };
/** The latest remediation of an alert while the tenant has not shown it: before and after per object. */
export type ProductRemediation = {
  id: number;
  alertId: number;
  live: boolean;
  tenantState: TenantSync;
  connector: { id: number; name: string; enabledBefore: boolean; enabledAfter: boolean };
  domains: { id: number; name: string; typeBefore: DomainType; typeAfter: DomainType }[];
};
export type ProductState = { connectors: ProductConnector[]; domains: ProductDomain[]; remediations: ProductRemediation[] };

export type ConnectorOp = { kind: "create"; fields: ConnectorFields } | { kind: "update"; id: number; patch: Partial<ConnectorFields> };
/** Domains name their relaying connector by name: a connector the import adds has no id yet. */
export type DomainOp =
  | { kind: "create"; name: string; type: DomainType; connector: string | null }
  | { kind: "update"; id: number; patch: { type?: DomainType; connector?: string | null } };

export type ImportPlan = { preview: ImportPreview; connectorOps: ConnectorOp[]; domainOps: DomainOp[] };

export const CONNECTOR_FIELDS = ["name", "comment", "kind", "enabled", "useMxRecord", "smartHosts", "recipientDomains", "tlsMode", "tlsDomain"] as const;

/**
 * The preview and the writes of importing `tenant` into `product`. `take` holds the conflicts
 * (by remediation id) whose fields take the tenant's values; the others keep the product's.
 */
export function planImport(product: ProductState, tenant: TenantState, take: ReadonlySet<number> = new Set()): ImportPlan {
  const { conflicts, confirmations } = findRemediationStates(product, tenant);
  const held = heldFields(conflicts, take);
  const connectors = tenant.connectors ? planConnectors(product.connectors, tenant.connectors, held) : null;
  const domains = tenant.domains ? planDomains(product, tenant, held) : null;
  return {
    preview: { files: tenant.files, connectors: connectors?.section ?? null, domains: domains?.section ?? null, conflicts, confirmations },
    connectorOps: connectors?.ops ?? [],
    domainOps: domains?.ops ?? [],
  };
}

/** The product's state as a hash: apply refuses when it moved since the preview. */
export function productFingerprint(product: ProductState): string {
  const canonical = {
    connectors: [...product.connectors].sort(byId).map((c) => [c.id, ...CONNECTOR_FIELDS.map((f) => c[f]), c.retired]),
    domains: [...product.domains].sort(byId).map((d) => [d.id, d.name, d.type, d.connectorId]),
    remediations: [...product.remediations].sort(byId).map((r) => [r.id, r.alertId, r.live, r.tenantState, r.connector, r.domains]),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/** Field keys (`c<id>.enabled`, `d<id>.type`) the import leaves alone: conflicts not taken. */
export function heldFields(conflicts: readonly ImportConflict[], take: ReadonlySet<number>): Set<string> {
  return new Set(conflicts.filter((c) => !take.has(c.remediationId)).flatMap((c) => c.fields.map((f) => `${f.target === "connector" ? "c" : "d"}${f.id}.${f.field}`)));
}

function planConnectors(product: readonly ProductConnector[], files: readonly ConnectorFields[], held: ReadonlySet<string>) {
  const byName = new Map(product.map((c) => [c.name.toLowerCase(), c]));
  const section: NonNullable<ImportPreview["connectors"]> = { added: [], changed: [], unchanged: [], onlyHere: [], retired: [] };
  const ops: ConnectorOp[] = [];
  const matched = new Set<number>();
  for (const incoming of files) {
    const current = byName.get(incoming.name.toLowerCase());
    if (!current) {
      section.added.push({ name: incoming.name, values: CONNECTOR_FIELDS.filter((f) => f !== "name").map((field) => ({ field, value: incoming[field] })) });
      ops.push({ kind: "create", fields: incoming });
      continue;
    }
    matched.add(current.id);
    if (current.retired) {
      section.retired.push(current.name);
      continue;
    }
    const target = held.has(`c${current.id}.enabled`) ? { ...incoming, enabled: current.enabled } : incoming;
    const changes = fieldChanges(current, target, CONNECTOR_FIELDS);
    if (changes.length === 0) {
      section.unchanged.push(current.name);
      continue;
    }
    section.changed.push({ id: current.id, name: current.name, changes });
    ops.push({ kind: "update", id: current.id, patch: Object.fromEntries(changes.map((c) => [c.field, target[c.field as keyof ConnectorFields]])) });
  }
  section.onlyHere = product.filter((c) => !matched.has(c.id) && !c.retired).map((c) => c.name);
  return { section, ops };
}

function planDomains(product: ProductState, tenant: TenantState, held: ReadonlySet<string>) {
  const routing = routingConnectors(product.connectors, tenant.connectors, held);
  const connectorName = new Map(product.connectors.map((c) => [c.id, c.name]));
  const byName = new Map(product.domains.map((d) => [d.name, d]));
  const section: NonNullable<ImportPreview["domains"]> = { added: [], changed: [], unchanged: [], onlyHere: [] };
  const ops: DomainOp[] = [];
  for (const incoming of tenant.domains ?? []) {
    const current = byName.get(incoming.name);
    const type = current && held.has(`d${current.id}.type`) ? current.type : incoming.type;
    const linked = current?.connectorId != null ? (connectorName.get(current.connectorId) ?? null) : null;
    // The relaying connector is the one that routes a relay domain in the files; an
    // Authoritative domain, or one no connector routes, keeps the product's link.
    const routed = type === "AUTHORITATIVE" ? null : (routeRecipientDomain(incoming.name, routing)?.name ?? null);
    // A connector renamed only in case is the same connector.
    const connector = routed !== null && routed.toLowerCase() !== linked?.toLowerCase() ? routed : linked;
    if (!current) {
      section.added.push({ name: incoming.name, values: [{ field: "type", value: type }, { field: "connector", value: connector }] });
      ops.push({ kind: "create", name: incoming.name, type, connector });
      continue;
    }
    const changes = fieldChanges({ type: current.type, connector: linked }, { type, connector }, ["type", "connector"]);
    if (changes.length === 0) {
      section.unchanged.push(current.name);
      continue;
    }
    section.changed.push({ id: current.id, name: current.name, changes });
    ops.push({ kind: "update", id: current.id, patch: Object.fromEntries(changes.map((c) => [c.field, c.after])) });
  }
  const inFiles = new Set((tenant.domains ?? []).map((d) => d.name));
  section.onlyHere = product.domains.filter((d) => !inFiles.has(d.name)).map((d) => d.name);
  return { section, ops };
}

/**
 * The connectors as they will be after the import, for routing relay domains: the files'
 * connectors (a kept `enabled` as the product has it; new ones after every existing id, as
 * they will be numbered), or the product's when no file held connectors.
 */
function routingConnectors(product: readonly ProductConnector[], files: readonly ConnectorFields[] | null, held: ReadonlySet<string>) {
  if (!files) return product.map((c) => ({ id: c.id, name: c.name, enabled: c.enabled, retired: c.retired, recipientDomains: c.recipientDomains }));
  const byName = new Map(product.map((c) => [c.name.toLowerCase(), c]));
  const nextId = Math.max(0, ...product.map((c) => c.id)) + 1;
  return files.map((incoming, i) => {
    const current = byName.get(incoming.name.toLowerCase());
    const enabled = current && held.has(`c${current.id}.enabled`) ? current.enabled : incoming.enabled;
    return { id: current?.id ?? nextId + i, name: incoming.name, enabled, retired: current?.retired ?? false, recipientDomains: incoming.recipientDomains };
  });
}

/** The fields whose value differs; lists compare as sets (Exchange does not keep an order). */
function fieldChanges<F extends string>(before: Readonly<Record<F, FieldValue>>, after: Readonly<Record<F, FieldValue>>, fields: readonly F[]): FieldChange[] {
  return fields.filter((f) => !sameValue(before[f], after[f])).map((field) => ({ field, before: before[field], after: after[field] }));
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const set = new Set(a);
    return set.size === new Set(b).size && b.every((v) => set.has(v));
  }
  return a === b;
}

function byId(a: { id: number }, b: { id: number }): number {
  return a.id - b.id;
}
