import "server-only";
import { randomUUID } from "node:crypto";
import { writeAudit } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { withDeadlockRetry } from "@/lib/db/errors";
import { badRequest, conflict, notFound } from "@/lib/http/errors";
import { recordFixNow } from "@/lib/metrics/definitions";
import { createConnectorTx, updateConnectorTx } from "@/lib/organisation/connector-service";
import { createDomainTx, updateDomainTx } from "@/lib/organisation/domain-service";
import { readExchangeFiles, type ExchangeFile } from "@/lib/organisation/exchange/read";
import { planImport, productFingerprint, type ImportPlan, type ProductRemediation, type ProductState } from "@/lib/organisation/import-plan";
import { tenantStateSchema, type ApplyResult, type ImportConflict, type Resolution, type StoredPreview } from "@/lib/organisation/import-schemas";
import { connectorFieldsOf, lockConnectorNames, type Tx } from "@/lib/organisation/rows";
import { remediationAfterSchema, remediationBeforeSchema } from "@/lib/remediation/schemas";
import { undoFixNowInTx } from "@/lib/remediation/service";

// The Exchange import (docs/organisation.md): a preview is stored with the tenant's state and
// the fingerprint of the product's; apply takes its id and, in one transaction that holds every
// connector and domain, checks the fingerprint, resolves the conflicts as the admin chose and
// writes through the connector and domain services, which audit each change.

/** Reads the files, computes the preview against the product's state and keeps both. */
/** How long a preview may wait to be applied. */
const PREVIEW_KEPT_MS = 24 * 60 * 60 * 1000;

export async function previewImport(db: Db, actor: Actor, files: readonly ExchangeFile[]): Promise<StoredPreview> {
  requireRole(actor, "manage");
  const tenant = readExchangeFiles(files);
  const product = await loadProductState(db);
  const { preview } = planImport(product, tenant);
  // Previews nobody applied within a day are not coming back: keep the table small.
  await db.orgImport.deleteMany({ where: { appliedAt: null, createdAt: { lt: new Date(Date.now() - PREVIEW_KEPT_MS) } } });
  const row = await db.orgImport.create({
    data: { id: randomUUID(), createdBy: actor.name, files: tenant.files, tenant, preview, fingerprint: productFingerprint(product) },
    select: { id: true, createdAt: true },
  });
  return { id: row.id, createdAt: row.createdAt.toISOString(), ...preview };
}

/** Applies a stored preview; `resolutions` chooses, per conflict (remediation id), keep or tenant. */
export async function applyImport(db: Db, actor: Actor, importId: string, resolutions: Readonly<Record<string, Resolution>>, now = new Date()): Promise<ApplyResult> {
  requireRole(actor, "manage");
  const result = await withDeadlockRetry(db, (tx) => applyLocked(tx, actor, importId, resolutions, now));
  // Taking the tenant's state undid these Fix nows (undoFixNowInTx); counted once committed.
  recordFixNow("undo", result.counts.undone);
  return result;
}

async function applyLocked(tx: Tx, actor: Actor, importId: string, resolutions: Readonly<Record<string, Resolution>>, now: Date): Promise<ApplyResult> {
  const record = await lockImport(tx, importId);
  // Names, then every connector, then every domain: the order the services and Fix now lock in.
  await lockConnectorNames(tx);
  await tx.$queryRaw`SELECT id FROM "Connector" ORDER BY id FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "AcceptedDomain" ORDER BY id FOR UPDATE`;
  const product = await loadProductState(tx);
  if (productFingerprint(product) !== record.fingerprint) {
    throw conflict("The connectors, accepted domains or Fix now states changed since this preview; preview the files again. Nothing was changed.");
  }
  const tenant = tenantStateSchema.parse(record.tenant);
  const { conflicts } = planImport(product, tenant).preview;
  const take = checkResolutions(conflicts, resolutions);
  const note = `Import from Exchange Online (${tenant.files.join(", ")})`;

  // Taking the tenant's state over a live Fix now undoes it (the tenant shows the undone state).
  const undo = conflicts.filter((c) => take.has(c.remediationId) && !c.undone);
  for (const c of undo) await undoFixNowInTx(tx, actor, c.alertId, now, note);
  const plan = planImport(undo.length > 0 ? await loadProductState(tx) : product, tenant, take);

  const connectorIds = await applyConnectorOps(tx, actor, plan, product, now, note);
  await applyDomainOps(tx, actor, plan, connectorIds, now, note);
  const confirmed = plan.preview.confirmations;
  await tx.remediation.updateMany({ where: { id: { in: confirmed.map((c) => c.remediationId) }, tenantState: "PENDING" }, data: { tenantState: "CONFIRMED", tenantCheckedAt: now } });

  const counts = {
    connectorsAdded: plan.connectorOps.filter((op) => op.kind === "create").length,
    connectorsChanged: plan.connectorOps.filter((op) => op.kind === "update").length,
    domainsAdded: plan.domainOps.filter((op) => op.kind === "create").length,
    domainsChanged: plan.domainOps.filter((op) => op.kind === "update").length,
    confirmed: confirmed.length,
    undone: undo.length,
    kept: conflicts.length - take.size,
  };
  await writeAudit(
    tx,
    actor,
    [
      ...confirmed.map((c) => ({
        action: "remediation.confirm",
        targetType: "alert" as const,
        targetId: c.alertId,
        before: { remediationId: c.remediationId, tenantState: "PENDING" },
        after: { remediationId: c.remediationId, tenantState: "CONFIRMED" },
        note: `${c.undone ? "Undo of Fix now" : "Fix now"} shown in Exchange Online by the import (${tenant.files.join(", ")})`,
      })),
      { action: "org.import", targetType: "import", targetId: importId, after: { files: tenant.files, ...counts, resolutions: { ...resolutions } }, note },
    ],
    now,
  );
  await tx.orgImport.update({ where: { id: importId }, data: { appliedBy: actor.name, appliedAt: now } });
  return { id: importId, appliedBy: actor.name, appliedAt: now.toISOString(), counts };
}

/**
 * The product's connectors, domains and the remediations still pending in the tenant: of each
 * alert only its latest remediation counts (an older one was superseded by it).
 */
export async function loadProductState(db: Db | Tx): Promise<ProductState> {
  const [connectors, domains, latest] = await Promise.all([
    db.connector.findMany({ orderBy: { id: "asc" } }),
    db.acceptedDomain.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, type: true, connectorId: true } }),
    db.remediation.findMany({ distinct: ["alertId"], orderBy: [{ alertId: "asc" }, { id: "desc" }] }),
  ]);
  return {
    connectors: connectors.map((row) => ({ id: row.id, ...connectorFieldsOf(row), retired: row.retiredAt !== null })),
    domains,
    remediations: latest.filter((r) => r.tenantState === "PENDING").map(productRemediation),
  };
}

function productRemediation(row: { id: number; alertId: number; undoneAt: Date | null; tenantState: "PENDING" | "CONFIRMED"; before: unknown; after: unknown }): ProductRemediation {
  const before = remediationBeforeSchema.parse(row.before);
  const after = remediationAfterSchema.parse(row.after);
  const typeAfter = new Map(after.domains.map((d) => [d.id, d.type]));
  return {
    id: row.id,
    alertId: row.alertId,
    live: row.undoneAt === null,
    tenantState: row.tenantState,
    connector: { id: before.connector.id, name: before.connector.name, enabledBefore: before.connector.enabled, enabledAfter: after.connector.enabled },
    domains: before.domains.map((d) => ({ id: d.id, name: d.name, typeBefore: d.type, typeAfter: typeAfter.get(d.id) ?? d.type })),
  };
}

async function lockImport(tx: Tx, id: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "OrgImport" WHERE id = ${id} FOR UPDATE`;
  const record = locked.length > 0 ? await tx.orgImport.findUnique({ where: { id } }) : null;
  if (!record) throw notFound("The import preview");
  if (record.appliedAt) {
    throw conflict(`This preview was applied by ${record.appliedBy ?? "someone"} at ${record.appliedAt.toISOString()}; preview the files again to import them again.`);
  }
  return record;
}

/** Every conflict needs a choice, and every choice a conflict: the ids of those taking the tenant's state. */
function checkResolutions(conflicts: readonly ImportConflict[], resolutions: Readonly<Record<string, Resolution>>): Set<number> {
  const missing = conflicts.filter((c) => resolutions[String(c.remediationId)] === undefined);
  if (missing.length > 0) {
    const named = missing.map((c) => `${c.undone ? "the Undo of " : ""}Fix now ${c.remediationId} on alert ${c.alertId} (connector "${c.connector}")`);
    throw badRequest(
      `Choose, for each conflict, whether to keep the product's state or take the tenant's: ${named.join("; ")}. Nothing was changed.`,
      missing.map((c) => ({ field: `resolutions.${c.remediationId}`, message: "choose keep or tenant" })),
    );
  }
  const unknown = Object.keys(resolutions).filter((id) => !conflicts.some((c) => String(c.remediationId) === id));
  if (unknown.length > 0) throw badRequest(`Not a conflict of this import: ${unknown.join(", ")}. Nothing was changed.`, unknown.map((id) => ({ field: `resolutions.${id}`, message: "is not a conflict of this import" })));
  return new Set(conflicts.filter((c) => resolutions[String(c.remediationId)] === "tenant").map((c) => c.remediationId));
}

/** Writes the connector changes; answers every connector's id by lower-case name, new ones included. */
async function applyConnectorOps(tx: Tx, actor: Actor, plan: ImportPlan, product: ProductState, now: Date, note: string): Promise<Map<string, number>> {
  const ids = new Map(product.connectors.map((c) => [c.name.toLowerCase(), c.id]));
  for (const op of plan.connectorOps) {
    if (op.kind === "create") ids.set(op.fields.name.toLowerCase(), (await createConnectorTx(tx, actor, op.fields, now, note)).id);
    else await updateConnectorTx(tx, actor, op.id, op.patch, now, note);
  }
  return ids;
}

async function applyDomainOps(tx: Tx, actor: Actor, plan: ImportPlan, connectorIds: ReadonlyMap<string, number>, now: Date, note: string): Promise<void> {
  const idOf = (name: string | null) => (name === null ? null : (connectorIds.get(name.toLowerCase()) ?? null));
  for (const op of plan.domainOps) {
    if (op.kind === "create") {
      await createDomainTx(tx, actor, { name: op.name, type: op.type, connectorId: idOf(op.connector) }, now, note);
      continue;
    }
    const { type, connector } = op.patch;
    await updateDomainTx(tx, actor, op.id, { ...(type && { type }), ...(connector !== undefined && { connectorId: idOf(connector) }) }, now, note);
  }
}
