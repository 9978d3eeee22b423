import "server-only";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation, withDeadlockRetry } from "@/lib/db/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { writeAudit, type AuditChange } from "@/lib/audit/write";
import { dropCheckpointsAfter } from "@/lib/events/store";
import { AppError, badRequest, conflict, notFound } from "@/lib/http/errors";
import { recordFixNow } from "@/lib/metrics/definitions";
import { refuseRetired } from "@/lib/organisation/rows";
import { fixNowEligibility, type FixNowBlock } from "@/lib/remediation/eligibility";
import { buildFixNowPlan, planDiffers, remediationRecord, type AlertSnapshot } from "@/lib/remediation/plan";
import { getFixNowView, remediationCommands } from "@/lib/remediation/queries";
import { remediationBeforeSchema, type FixNowView, type RemediationBefore } from "@/lib/remediation/schemas";

// Fix now and its Undo. Each runs in one interactive transaction that locks the connector, then
// the alert (the order ingest uses too), so a double click, two tabs or two admins apply it once:
// the later callers wait for the lock, then find the alert remediated and get a 409. The unique
// Remediation.liveKey is the database's own guard behind the locks.
type Tx = Prisma.TransactionClient;

export const REMEDIATION_KIND = "fix-now";
/** Alert.resolvedReason of an alert closed by Fix now. */
export const REMEDIATED_REASON = "remediated";

export type FixNowInput = Readonly<{ alertId: number; actor: Actor; expectedDomainIds?: readonly number[]; now?: Date }>;
export type UndoInput = Readonly<{ alertId: number; actor: Actor; now?: Date }>;

export async function applyFixNow(db: Db, input: FixNowInput): Promise<FixNowView> {
  requireRole(input.actor, "remediate");
  const now = input.now ?? new Date();
  try {
    await withDeadlockRetry(db, (tx) => applyLocked(tx, input, now));
  } catch (error) {
    // The only unique value Fix now writes is Remediation.liveKey.
    if (isUniqueViolation(error, "Remediation_liveKey_key")) throw await alreadyRemediated(db, input.alertId);
    throw error;
  }
  recordFixNow("apply");
  return getFixNowView(db, input.alertId);
}

export async function undoFixNow(db: Db, input: UndoInput): Promise<FixNowView> {
  requireRole(input.actor, "remediate");
  const now = input.now ?? new Date();
  await withDeadlockRetry(db, (tx) => undoLocked(tx, input.actor, input.alertId, now, {}));
  recordFixNow("undo");
  return getFixNowView(db, input.alertId);
}

async function applyLocked(tx: Tx, input: FixNowInput, now: Date): Promise<void> {
  const { alert, connector } = await lockAlertAndConnector(tx, input.alertId);
  const eligibility = fixNowEligibility({ ...alert, connectorKind: connector.kind });
  if (!eligibility.eligible) throw await refusal(tx, eligibility.reason, alert);

  const domains = await lockConnectorDomains(tx, connector.id);
  const queued = await tx.queuedMessage.count({ where: { connectorId: connector.id, state: "QUEUED" } });
  const plan = buildFixNowPlan({ alertId: alert.id, connector, domains, queuedMessages: queued });
  if (planDiffers(plan, input.expectedDomainIds)) {
    throw conflict("The domains Fix now would change are no longer the ones you were shown. Review the change again.");
  }

  await tx.connector.update({ where: { id: connector.id }, data: { enabled: false } });
  const domainIds = plan.domains.map((d) => d.id);
  await tx.acceptedDomain.updateMany({ where: { id: { in: domainIds } }, data: { type: "AUTHORITATIVE" } });
  const rejected = await tx.queuedMessage.updateManyAndReturn({
    where: { connectorId: connector.id, state: "QUEUED" },
    data: { state: "REJECTED", settledAt: now, ndrAt: now },
    select: { id: true, alertId: true, firstAttemptAt: true },
  });
  // Fold checkpoints holding these messages queued no longer hold the state there (lib/events/fold-checkpoint.ts).
  const earliest = rejected.reduce<Date | null>((m, r) => (m === null || r.firstAttemptAt < m ? r.firstAttemptAt : m), null);
  if (earliest) await dropCheckpointsAfter(tx, connector.id, earliest);
  // Queued messages of the connector's other alerts bounced too: their queues are empty now.
  const otherAlertIds = [...new Set(rejected.map((m) => m.alertId))].filter((id): id is number => id !== null && id !== alert.id);
  await tx.alert.updateMany({ where: { id: { in: otherAlertIds } }, data: { queuedCount: 0, oldestQueuedAt: null } });
  const updated = await tx.alert.update({
    where: { id: alert.id },
    data: {
      status: "RESOLVED",
      resolvedAt: now,
      resolvedReason: REMEDIATED_REASON,
      remediatedBy: input.actor.name,
      remediatedAt: now,
      queuedCount: 0,
      oldestQueuedAt: null,
    },
  });

  const record = remediationRecord(plan, alertSnapshot(alert), rejected.map((m) => m.id.toString()));
  const { powershell } = remediationCommands(record.before);
  await tx.remediation.create({
    data: {
      alertId: alert.id,
      kind: REMEDIATION_KIND,
      appliedBy: input.actor.name,
      appliedAt: now,
      before: record.before,
      after: record.after,
      liveKey: alert.id,
    },
  });

  const note = `Fix now on alert ${alert.id}`;
  await writeAudit(
    tx,
    input.actor,
    [
      ...(connector.enabled ? [connectorChange("connector.disable", connector.id, true, false, note)] : []),
      ...plan.domains.map((d) => domainChange(d, "INTERNAL_RELAY", "AUTHORITATIVE", note)),
      {
        action: "remediation.apply",
        targetType: "alert",
        targetId: alert.id,
        before: alertAuditState(alert),
        after: { ...alertAuditState(updated), rejectedMessages: rejected.length, powershell },
        note: `Connector ${connector.name} disabled, ${plan.domains.length} domain(s) made Authoritative, ${rejected.length} queued message(s) returned to their senders. Pending in Exchange Online until an import shows it.`,
      },
    ],
    now,
  );
}

/**
 * Undo of a live Fix now inside the caller's transaction, for an Exchange import whose admin
 * chose the tenant's state over the product's: the tenant already shows the undone state, so
 * the Undo is recorded as confirmed there.
 */
export async function undoFixNowInTx(tx: Tx, actor: Actor, alertId: number, now: Date, note: string): Promise<void> {
  await undoLocked(tx, actor, alertId, now, { note, tenantConfirmed: true });
}

type UndoOptions = { note?: string; tenantConfirmed?: boolean };

async function undoLocked(tx: Tx, actor: Actor, alertId: number, now: Date, options: UndoOptions): Promise<void> {
  const { alert, connector } = await lockAlertAndConnector(tx, alertId);
  // A retired connector is history: Undo would enable it again in the product and the tenant.
  refuseRetired(connector, "Fix now on it cannot be undone");
  const [live] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Remediation" WHERE "liveKey" = ${alert.id} FOR UPDATE`;
  if (!live) throw await nothingToUndo(tx, alert.id);
  const remediation = await tx.remediation.findUniqueOrThrow({ where: { id: live.id } });
  const before = remediationBeforeSchema.parse(remediation.before);

  await tx.connector.update({ where: { id: connector.id }, data: { enabled: before.connector.enabled } });
  const current = await lockDomainsById(tx, before.domains.map((d) => d.id));
  // Domains deleted since the remediation have nothing left to restore.
  const restorable = before.domains.filter((d) => current.has(d.id));
  for (const type of new Set(restorable.map((d) => d.type))) {
    const ids = restorable.filter((d) => d.type === type).map((d) => d.id);
    await tx.acceptedDomain.updateMany({ where: { id: { in: ids } }, data: { type } });
  }
  const restored = await tx.alert.update({ where: { id: alert.id }, data: await reopenedAlert(tx, alert, before) });
  // Undo, too, is made in the tenant by the admin, unless the tenant showed it already.
  const tenant = options.tenantConfirmed ? { tenantState: "CONFIRMED" as const, tenantCheckedAt: now } : { tenantState: "PENDING" as const, tenantCheckedAt: null };
  await tx.remediation.update({ where: { id: remediation.id }, data: { undoneBy: actor.name, undoneAt: now, liveKey: null, ...tenant } });
  const { undoPowershell } = remediationCommands(before);

  const note = options.note ?? `Undo of Fix now on alert ${alert.id}`;
  await writeAudit(
    tx,
    actor,
    [
      ...(connector.enabled !== before.connector.enabled
        ? [connectorChange(before.connector.enabled ? "connector.enable" : "connector.disable", connector.id, connector.enabled, before.connector.enabled, note)]
        : []),
      ...restorable
        .filter((d) => current.get(d.id) !== d.type)
        .map((d) => domainChange(d, current.get(d.id) ?? d.type, d.type, note)),
      {
        action: "remediation.undo",
        targetType: "alert",
        targetId: alert.id,
        before: alertAuditState(alert),
        after: { ...alertAuditState(restored), ...(options.tenantConfirmed ? {} : { powershell: undoPowershell }) },
        note: options.tenantConfirmed
          ? `${note}: the tenant already shows the connector and domain types restored; messages already returned to their senders stay returned`
          : "Connector and domain types restored; messages already returned to their senders stay returned. Pending in Exchange Online until an import shows it.",
      },
    ],
    now,
  );
}

type LockedAlert = Prisma.AlertGetPayload<{ include: { connector: true } }>;

/** Locks the alert's connector, then the alert, and reads both after the locks are held. */
async function lockAlertAndConnector(tx: Tx, alertId: number): Promise<{ alert: LockedAlert; connector: LockedAlert["connector"] }> {
  const ref = await tx.alert.findUnique({ where: { id: alertId }, select: { connectorId: true } });
  if (!ref) throw notFound("The alert");
  await tx.$queryRaw`SELECT id FROM "Connector" WHERE id = ${ref.connectorId} FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "Alert" WHERE id = ${alertId} FOR UPDATE`;
  const alert = await tx.alert.findUniqueOrThrow({ where: { id: alertId }, include: { connector: true } });
  return { alert, connector: alert.connector };
}

async function lockConnectorDomains(tx: Tx, connectorId: number) {
  await tx.$queryRaw`SELECT id FROM "AcceptedDomain" WHERE "connectorId" = ${connectorId} ORDER BY id FOR UPDATE`;
  return tx.acceptedDomain.findMany({ where: { connectorId } });
}

async function lockDomainsById(tx: Tx, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  await tx.$queryRaw`SELECT id FROM "AcceptedDomain" WHERE id = ANY(${[...ids]}::int[]) ORDER BY id FOR UPDATE`;
  const rows = await tx.acceptedDomain.findMany({ where: { id: { in: [...ids] } }, select: { id: true, type: true } });
  return new Map(rows.map((r) => [r.id, r.type]));
}

/**
 * The alert goes back to the state it had before Fix now, so Fix now can be applied again; but
 * if ingest has opened a newer alert for the same connector and code meanwhile, that one is the
 * open episode and this one stays resolved.
 */
async function reopenedAlert(tx: Tx, alert: LockedAlert, before: RemediationBefore): Promise<Prisma.AlertUpdateInput> {
  const newer = await tx.alert.count({
    where: { connectorId: alert.connectorId, errorCode: alert.errorCode, id: { gt: alert.id }, status: { notIn: ["RESOLVED", "DISMISSED"] } },
  });
  const restore = newer === 0 && alert.resolvedReason === REMEDIATED_REASON;
  return {
    remediatedBy: null,
    remediatedAt: null,
    ...(restore && {
      status: before.alert.status,
      resolvedAt: before.alert.resolvedAt ? new Date(before.alert.resolvedAt) : null,
      resolvedReason: before.alert.resolvedReason,
    }),
  };
}

async function refusal(tx: Tx, reason: FixNowBlock, alert: LockedAlert): Promise<AppError> {
  switch (reason) {
    case "already_remediated":
      return alreadyRemediated(tx, alert.id);
    case "wrong_code":
      return badRequest(`Fix now applies only to 4.4.316 (connection refused) alerts; this alert is ${alert.errorCode}. Nothing was changed.`);
    case "partner_connector":
      return badRequest(`Fix now is not offered for partner connectors: ${alert.connector.name} delivers to a partner, who must fix their side. Nothing was changed.`);
    case "alert_closed":
      return conflict(`This alert is ${alert.status.toLowerCase()}; Fix now applies only to open alerts. Nothing was changed.`);
  }
}

async function alreadyRemediated(db: Db | Tx, alertId: number): Promise<AppError> {
  const live = await db.remediation.findFirst({ where: { alertId, undoneAt: null }, orderBy: { id: "desc" } });
  return conflict(
    live
      ? `Fix now was already applied to this alert by ${live.appliedBy} at ${live.appliedAt.toISOString()}. Nothing was changed.`
      : "Fix now was already applied to this alert. Nothing was changed.",
  );
}

async function nothingToUndo(tx: Tx, alertId: number): Promise<AppError> {
  const latest = await tx.remediation.findFirst({ where: { alertId }, orderBy: { id: "desc" } });
  if (latest?.undoneAt) {
    return conflict(`Fix now on this alert was already undone by ${latest.undoneBy ?? "someone"} at ${latest.undoneAt.toISOString()}. Nothing was changed.`);
  }
  return conflict("Fix now has not been applied to this alert, so there is nothing to undo.");
}

function alertSnapshot(alert: LockedAlert): AlertSnapshot {
  return {
    status: alert.status,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    resolvedReason: alert.resolvedReason,
    queuedCount: alert.queuedCount,
    oldestQueuedAt: alert.oldestQueuedAt?.toISOString() ?? null,
  };
}

function alertAuditState(alert: LockedAlert | Prisma.AlertGetPayload<object>) {
  return {
    status: alert.status,
    queuedCount: alert.queuedCount,
    resolvedReason: alert.resolvedReason,
    remediatedBy: alert.remediatedBy,
    remediatedAt: alert.remediatedAt?.toISOString() ?? null,
  };
}

function connectorChange(action: string, id: number, before: boolean, after: boolean, note: string): AuditChange {
  return { action, targetType: "connector", targetId: id, before: { enabled: before }, after: { enabled: after }, note };
}

function domainChange(domain: { id: number; name: string }, before: string, after: string, note: string): AuditChange {
  return { action: "domain.type", targetType: "domain", targetId: domain.id, before: { name: domain.name, type: before }, after: { name: domain.name, type: after }, note };
}
