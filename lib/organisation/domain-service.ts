import "server-only";
import { writeAudit } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation, withDeadlockRetry } from "@/lib/db/errors";
import { AppError, badRequest, conflict, notFound } from "@/lib/http/errors";
import { changedFields } from "@/lib/organisation/changes";
import type { DomainFields } from "@/lib/organisation/connector-fields";
import { findLockedConnector, refuseRetired, type ConnectorRow, type Tx } from "@/lib/organisation/rows";
import type { Deleted, DomainPatch, DomainRecord } from "@/lib/organisation/schemas";

// Accepted domains changed in the product. A domain's audit entries carry its name beside the
// changed fields, and a change of relaying connector the connector's name beside its id, so a
// timeline says which domain moved where. *Tx functions run inside a caller's transaction.

/** Adds an accepted domain; the relaying connector, if any, must exist and not be retired. */
export async function createDomainTx(tx: Tx, actor: Actor, fields: DomainFields, at: Date, note?: string): Promise<{ id: number }> {
  const relay = fields.connectorId === null ? null : usableRelay(await findLockedConnector(tx, fields.connectorId, "share"), fields.connectorId);
  await refuseTakenDomain(tx, fields.name);
  const { id } = await tx.acceptedDomain.create({ data: { ...fields, createdAt: at, updatedAt: at }, select: { id: true } });
  const after = { name: fields.name, type: fields.type, connectorId: fields.connectorId, connector: relay?.name ?? null };
  await writeAudit(tx, actor, [{ action: "domain.create", targetType: "domain", targetId: id, after, note }], at);
  return { id };
}

/**
 * Changes a domain's type and relaying connector where `patch` differs and audits just that;
 * nothing when nothing differs. A domain's name is its identity (as in Exchange): a different
 * name is refused.
 */
export async function updateDomainTx(tx: Tx, actor: Actor, id: number, patch: Partial<DomainFields>, at: Date, note?: string): Promise<void> {
  // The new relaying connector is locked before the domain: connectors before domains, always.
  const target = patch.connectorId ? await findLockedConnector(tx, patch.connectorId, "share") : null;
  const current = await lockDomain(tx, id);
  if (patch.name !== undefined && patch.name !== current.name) {
    throw badRequest(`An accepted domain cannot be renamed ("${current.name}" to "${patch.name}"): remove it and add the new one.`, [{ field: "name", message: "cannot be changed" }]);
  }
  const changes = changedFields({ type: current.type, connectorId: current.connectorId }, { type: patch.type, connectorId: patch.connectorId });
  if (!changes) return;
  // Checked only when it changes: a domain may keep the connector it has, retired or not.
  const relay = changes.after.connectorId ? usableRelay(target, changes.after.connectorId) : null;
  await tx.acceptedDomain.update({ where: { id }, data: { ...changes.after, updatedAt: at } });
  const moved = changes.after.connectorId !== undefined;
  const before = { name: current.name, ...changes.before, ...(moved ? { connector: current.connector?.name ?? null } : {}) };
  const after = { name: current.name, ...changes.after, ...(moved ? { connector: relay?.name ?? null } : {}) };
  await writeAudit(tx, actor, [{ action: "domain.update", targetType: "domain", targetId: id, before, after, note }], at);
}

export async function createDomain(db: Db, actor: Actor, fields: DomainFields, now = new Date()): Promise<DomainRecord> {
  requireRole(actor, "manage");
  try {
    return await withDeadlockRetry(db, async (tx) => domainRecord(await lockDomain(tx, (await createDomainTx(tx, actor, fields, now)).id)));
  } catch (error) {
    // Two admins adding the same domain at once: the second meets the unique index.
    if (isUniqueViolation(error, "AcceptedDomain_name_key")) throw takenDomain(fields.name);
    throw error;
  }
}

export async function updateDomain(db: Db, actor: Actor, id: number, patch: DomainPatch, now = new Date()): Promise<DomainRecord> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    await updateDomainTx(tx, actor, id, patch, now);
    return domainRecord(await lockDomain(tx, id));
  });
}

/** Removes an accepted domain; its audited changes stay in the audit log. */
export async function deleteDomain(db: Db, actor: Actor, id: number, now = new Date()): Promise<Deleted> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    const current = await lockDomain(tx, id);
    await tx.acceptedDomain.delete({ where: { id } });
    const before = { name: current.name, type: current.type, connectorId: current.connectorId, connector: current.connector?.name ?? null };
    await writeAudit(tx, actor, [{ action: "domain.delete", targetType: "domain", targetId: id, before }], now);
    return { deleted: { id, name: current.name } };
  });
}

type LockedDomain = DomainRecord & { connector: { name: string } | null };

async function lockDomain(tx: Tx, id: number): Promise<LockedDomain> {
  const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "AcceptedDomain" WHERE id = ${id} FOR UPDATE`;
  const row = locked.length > 0
    ? await tx.acceptedDomain.findUnique({ where: { id }, select: { id: true, name: true, type: true, connectorId: true, connector: { select: { name: true } } } })
    : null;
  if (!row) throw notFound(`Accepted domain ${id}`);
  return row;
}

/** The connector a domain is to relay through (locked by the caller): it must exist and not be retired. */
function usableRelay<C extends ConnectorRow>(connector: C | null, connectorId: number): C {
  if (!connector) throw badRequest(`No connector has the id ${connectorId}.`, [{ field: "connectorId", message: "is not a connector" }]);
  refuseRetired(connector, "no domain can relay through it");
  return connector;
}

async function refuseTakenDomain(tx: Tx, name: string): Promise<void> {
  if (await tx.acceptedDomain.findUnique({ where: { name }, select: { id: true } })) throw takenDomain(name);
}

function takenDomain(name: string): AppError {
  return conflict(`The accepted domain "${name}" already exists.`);
}

function domainRecord({ id, name, type, connectorId }: LockedDomain): DomainRecord {
  return { id, name, type, connectorId };
}
