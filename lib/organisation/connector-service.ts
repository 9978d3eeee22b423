import "server-only";
import { auditJson, writeAudit } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { withDeadlockRetry } from "@/lib/db/errors";
import { conflict, invalidFields } from "@/lib/http/errors";
import { PROBE_SOURCE } from "@/lib/grouping/event";
import { changedFields, connectorChangeAction } from "@/lib/organisation/changes";
import { connectorRuleIssues, DEFAULT_QUEUE_LIFETIME_MINUTES, type ConnectorFields, type ConnectorSettings } from "@/lib/organisation/connector-fields";
import { updateDomainTx } from "@/lib/organisation/domain-service";
import { retiredDay } from "@/lib/organisation/retired";
import { connectorRecord, connectorSettingsOf, lockConnector, lockConnectorNames, refuseRetired, type Tx } from "@/lib/organisation/rows";
import type { ConnectorRecord } from "@/lib/connectors/schemas";
import type { ConnectorPatch, Deleted } from "@/lib/organisation/schemas";

// Connectors changed in the product (docs/organisation.md). Each write locks what it changes,
// checks how the fields fit together, and audits the changed fields in the same transaction.
// The *Tx functions run inside a caller's transaction (the Exchange import applies its changes
// with them); the others check the role and open the transaction.

/**
 * Adds a connector; its name must be free, ignoring case. Without a queue lifetime (the Exchange
 * import has none to give) it gets the hosted service's 24 hours.
 */
export async function createConnectorTx(tx: Tx, actor: Actor, fields: ConnectorFields & Partial<ConnectorSettings>, at: Date, note?: string): Promise<{ id: number }> {
  const settings: ConnectorSettings = { ...fields, queueLifetimeMinutes: fields.queueLifetimeMinutes ?? DEFAULT_QUEUE_LIFETIME_MINUTES };
  refuseRuleIssues(settings);
  await lockConnectorNames(tx);
  await refuseTakenName(tx, settings.name, null);
  const { id } = await tx.connector.create({ data: { ...settings, createdAt: at, updatedAt: at }, select: { id: true } });
  await writeAudit(tx, actor, [{ action: "connector.create", targetType: "connector", targetId: id, after: auditJson(settings), note }], at);
  return { id };
}

/**
 * Changes the fields of `patch` that differ from the stored ones and audits just those; nothing
 * (no write, no audit entry) when none differs. A retired connector is not changed (409). A new
 * queue lifetime re-times the connector's queued messages in the same transaction.
 */
export async function updateConnectorTx(tx: Tx, actor: Actor, id: number, patch: Partial<ConnectorSettings>, at: Date, note?: string): Promise<void> {
  // The name lock before the row lock, in the order createConnectorTx takes it.
  if (patch.name !== undefined) await lockConnectorNames(tx);
  // The row lock is the one ingest and the sweep hold while they fold the connector's queue, so
  // no fold reads the queued messages' expiry while it is being re-timed.
  const current = await lockConnector(tx, id);
  const stored = connectorSettingsOf(current);
  const changes = changedFields(stored, patch);
  if (!changes) return;
  refuseRetired(current, "it cannot be changed");
  refuseRuleIssues({ ...stored, ...changes.after });
  if (changes.after.name !== undefined) await refuseTakenName(tx, changes.after.name, id);
  await tx.connector.update({ where: { id }, data: { ...changes.after, updatedAt: at } });
  if (changes.after.queueLifetimeMinutes !== undefined) await retimeQueuedMessages(tx, id, changes.after.queueLifetimeMinutes);
  await writeAudit(
    tx,
    actor,
    [{ action: connectorChangeAction(changes), targetType: "connector", targetId: id, before: auditJson(changes.before), after: auditJson(changes.after), note }],
    at,
  );
}

export async function createConnector(db: Db, actor: Actor, fields: ConnectorFields, now = new Date()): Promise<ConnectorRecord> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    const { id } = await createConnectorTx(tx, actor, fields, now);
    return connectorRecord(await lockConnector(tx, id));
  });
}

/** Edits a connector; `{ enabled }` alone enables or disables it. */
export async function updateConnector(db: Db, actor: Actor, id: number, patch: ConnectorPatch, now = new Date()): Promise<ConnectorRecord> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    await updateConnectorTx(tx, actor, id, patch, now);
    return connectorRecord(await lockConnector(tx, id));
  });
}

/**
 * Retires a connector: disabled, its history kept, and ingest refuses new events for it. The
 * way out for a connector with events, which is never deleted.
 */
export async function retireConnector(db: Db, actor: Actor, id: number, now = new Date()): Promise<ConnectorRecord> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    const current = await lockConnector(tx, id);
    if (current.retiredAt) throw conflict(`"${current.name}" was already retired on ${retiredDay(current.retiredAt)}.`);
    const updated = await tx.connector.update({ where: { id }, data: { enabled: false, retiredAt: now, retiredBy: actor.name, updatedAt: now } });
    const before = { ...(current.enabled ? { enabled: true } : {}), retiredAt: null, retiredBy: null };
    const after = { ...(current.enabled ? { enabled: false } : {}), retiredAt: now.toISOString(), retiredBy: actor.name };
    await writeAudit(tx, actor, [{ action: "connector.retire", targetType: "connector", targetId: id, before, after }], now);
    return connectorRecord(updated);
  });
}

/** Brings a retired connector back, still disabled: enabling it is a separate, deliberate step. */
export async function restoreConnector(db: Db, actor: Actor, id: number, now = new Date()): Promise<ConnectorRecord> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    const current = await lockConnector(tx, id);
    if (!current.retiredAt) throw conflict(`"${current.name}" is not retired.`);
    const updated = await tx.connector.update({ where: { id }, data: { retiredAt: null, retiredBy: null, updatedAt: now } });
    const before = { retiredAt: current.retiredAt.toISOString(), retiredBy: current.retiredBy };
    await writeAudit(tx, actor, [{ action: "connector.restore", targetType: "connector", targetId: id, before, after: { retiredAt: null, retiredBy: null } }], now);
    return connectorRecord(updated);
  });
}

/**
 * Deletes a connector that has no mail events (409 otherwise: retire it); its validations go with it. The domains it relayed keep
 * their type and lose their relaying connector, each audited on the domain.
 */
export async function deleteConnector(db: Db, actor: Actor, id: number, now = new Date()): Promise<Deleted> {
  requireRole(actor, "manage");
  return withDeadlockRetry(db, async (tx) => {
    const current = await lockConnector(tx, id);
    // Ingest locks the connector too, so no event can arrive between this look and the delete.
    // Probes are no mail: a connector only ever validated has no history to keep.
    const event = await tx.deliveryEvent.findFirst({ where: { connectorId: id, source: { not: PROBE_SOURCE } }, select: { id: true } });
    if (event) {
      throw conflict(
        current.retiredAt
          ? `"${current.name}" has delivery events, so it is kept as retired and never deleted: its history stays readable.`
          : `"${current.name}" has delivery events, so it cannot be deleted: retire it instead. Its history stays readable and new events for it are refused.`,
      );
    }
    const domains = await tx.acceptedDomain.findMany({ where: { connectorId: id }, select: { id: true }, orderBy: { id: "asc" } });
    const note = `the connector "${current.name}" was deleted`;
    for (const domain of domains) await updateDomainTx(tx, actor, domain.id, { connectorId: null }, now, note);
    await tx.connector.delete({ where: { id } });
    const before = { ...connectorSettingsOf(current), ...(current.retiredAt ? { retiredAt: current.retiredAt.toISOString(), retiredBy: current.retiredBy } : {}) };
    await writeAudit(tx, actor, [{ action: "connector.delete", targetType: "connector", targetId: id, before: auditJson(before) }], now);
    return { deleted: { id, name: current.name } };
  });
}

/**
 * The connector's still-queued messages expire their new lifetime after their first attempt, as
 * a replay of the fold would time them: a longer lifetime keeps them queued, a shorter one lets
 * the next sweep expire those now past it, at their new expiresAt. Call with the connector locked.
 */
async function retimeQueuedMessages(tx: Tx, connectorId: number, lifetimeMinutes: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE "QueuedMessage" SET "expiresAt" = "firstAttemptAt" + make_interval(mins => ${lifetimeMinutes}::int)
    WHERE "connectorId" = ${connectorId} AND state = 'QUEUED'`;
}

function refuseRuleIssues(fields: ConnectorFields): void {
  const issues = connectorRuleIssues(fields);
  if (issues.length > 0) throw invalidFields(issues);
}

/** A 409 when another connector has the name, ignoring case. Call with the names lock held. */
async function refuseTakenName(tx: Tx, name: string, exceptId: number | null): Promise<void> {
  const [taken] = await tx.$queryRaw<{ name: string; retiredAt: Date | null }[]>`
    SELECT name, "retiredAt" FROM "Connector" WHERE lower(name) = lower(${name}) AND id <> ${exceptId ?? 0} LIMIT 1`;
  if (!taken) return;
  const retired = taken.retiredAt ? ` It is retired since ${retiredDay(taken.retiredAt)}: restore it, or choose another name.` : "";
  throw conflict(`A connector named "${taken.name}" already exists (names are compared ignoring case, as in Exchange).${retired}`);
}
