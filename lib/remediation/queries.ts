import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/http/errors";
import { fixNowEligibility, offersFixNow } from "@/lib/remediation/eligibility";
import { fixNowCommands, undoCommands } from "@/lib/organisation/powershell";
import { buildFixNowPlan } from "@/lib/remediation/plan";
import { remediationAfterSchema, remediationBeforeSchema, type FixNowView, type RemediationBefore } from "@/lib/remediation/schemas";

type Reader = Db | Prisma.TransactionClient;

/** What the Fix now dialog and the remediation panel show for one alert. */
export async function getFixNowView(db: Reader, alertId: number): Promise<FixNowView> {
  const alert = await db.alert.findUnique({
    where: { id: alertId },
    select: {
      id: true,
      errorCode: true,
      status: true,
      remediatedAt: true,
      connector: { select: { id: true, name: true, kind: true, enabled: true } },
      remediations: { orderBy: { id: "desc" }, take: 1 },
    },
  });
  if (!alert) throw notFound("The alert");
  const { connector } = alert;
  const eligibility = fixNowEligibility({ ...alert, connectorKind: connector.kind });
  const latest = alert.remediations[0];
  return {
    alertId: alert.id,
    errorCode: alert.errorCode,
    offered: offersFixNow(alert.errorCode, connector.kind),
    eligible: eligibility.eligible,
    blockedBy: eligibility.eligible ? null : eligibility.reason,
    plan: eligibility.eligible ? await loadPlan(db, alert.id, connector) : null,
    remediation: latest ? remediationSummary(latest, connector.name) : null,
  };
}

async function loadPlan(db: Reader, alertId: number, connector: { id: number; name: string; enabled: boolean }) {
  const [domains, queuedMessages] = await Promise.all([
    db.acceptedDomain.findMany({ where: { connectorId: connector.id } }),
    db.queuedMessage.count({ where: { connectorId: connector.id, state: "QUEUED" } }),
  ]);
  const plan = buildFixNowPlan({ alertId, connector, domains, queuedMessages });
  const powershell = fixNowCommands(plan.connector.name, plan.domains.map((d) => d.name));
  return { connector: plan.connector, domains: [...plan.domains], queuedMessages: plan.queuedMessages, powershell };
}

function remediationSummary(row: {
  id: number;
  appliedBy: string;
  appliedAt: Date;
  undoneBy: string | null;
  undoneAt: Date | null;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
  tenantState: "PENDING" | "CONFIRMED";
  tenantCheckedAt: Date | null;
}, connectorName: string) {
  const before = remediationBeforeSchema.parse(row.before);
  const after = remediationAfterSchema.parse(row.after);
  return {
    id: row.id,
    appliedBy: row.appliedBy,
    appliedAt: row.appliedAt.toISOString(),
    undoneBy: row.undoneBy,
    undoneAt: row.undoneAt?.toISOString() ?? null,
    connector: before.connector,
    domains: after.domains.map(({ id, name }) => ({ id, name })),
    rejectedMessages: after.rejectedMessageIds.length,
    // The tenant knows the connector by its name of today, should it have been renamed since.
    ...remediationCommands(before, connectorName),
    tenantState: row.tenantState,
    tenantCheckedAt: row.tenantCheckedAt?.toISOString() ?? null,
  };
}

/** A recorded Fix now's commands for the tenant, and its Undo's, from what it changed. */
export function remediationCommands(before: RemediationBefore, connectorName = before.connector.name): { powershell: string[]; undoPowershell: string[] } {
  const domains = before.domains.map((d) => d.name);
  return {
    powershell: fixNowCommands(connectorName, domains),
    undoPowershell: undoCommands(connectorName, before.connector.enabled, domains),
  };
}
