import type { RemediationAfter, RemediationBefore } from "@/lib/remediation/schemas";

// What Fix now changes, decided from plain rows so the dialog, the service and the tests all
// use the same rule: the connector is disabled, the Internal relay domains it relays become
// Authoritative, and its queued messages go back to their senders.
export type DomainRow = Readonly<{ id: number; name: string; type: string; connectorId: number | null }>;
export type ConnectorRow = Readonly<{ id: number; name: string; enabled: boolean }>;

export type FixNowPlan = Readonly<{
  alertId: number;
  connector: ConnectorRow;
  domains: readonly { id: number; name: string }[];
  queuedMessages: number;
}>;

export function domainsToSwitch(domains: readonly DomainRow[], connectorId: number): { id: number; name: string }[] {
  return domains
    .filter((d) => d.type === "INTERNAL_RELAY" && d.connectorId === connectorId)
    .map((d) => ({ id: d.id, name: d.name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

export function buildFixNowPlan(input: {
  alertId: number;
  connector: ConnectorRow;
  domains: readonly DomainRow[];
  queuedMessages: number;
}): FixNowPlan {
  return {
    alertId: input.alertId,
    connector: { id: input.connector.id, name: input.connector.name, enabled: input.connector.enabled },
    domains: domainsToSwitch(input.domains, input.connector.id),
    queuedMessages: input.queuedMessages,
  };
}

/** The dialog showed other domains than the ones that would change now: the admin must look again. */
export function planDiffers(plan: FixNowPlan, expectedDomainIds: readonly number[] | undefined): boolean {
  if (expectedDomainIds === undefined) return false;
  const now = plan.domains.map((d) => d.id).sort((a, b) => a - b);
  const seen = [...new Set(expectedDomainIds)].sort((a, b) => a - b);
  return now.length !== seen.length || now.some((id, i) => id !== seen[i]);
}

export type AlertSnapshot = RemediationBefore["alert"];

/** The before/after record of one Fix now, stored on the Remediation row; Undo reads `before`. */
export function remediationRecord(
  plan: FixNowPlan,
  alert: AlertSnapshot,
  rejectedMessageIds: readonly string[],
): { before: RemediationBefore; after: RemediationAfter } {
  return {
    before: {
      connector: { ...plan.connector },
      domains: plan.domains.map((d) => ({ ...d, type: "INTERNAL_RELAY" as const })),
      alert,
    },
    after: {
      connector: { id: plan.connector.id, name: plan.connector.name, enabled: false },
      domains: plan.domains.map((d) => ({ ...d, type: "AUTHORITATIVE" as const })),
      rejectedMessageIds: [...rejectedMessageIds],
    },
  };
}
