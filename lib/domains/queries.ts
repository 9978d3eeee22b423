import "server-only";
import { toAuditView } from "@/lib/alerts/queries";
import type { Db } from "@/lib/db/client";
import type { DomainList, RelayChoice } from "@/lib/domains/schemas";

// Accepted domains with the connector that relays them and the audited changes to each.
const CHANGES_PER_DOMAIN = 50;

export async function listDomains(db: Db): Promise<DomainList> {
  const domains = await db.acceptedDomain.findMany({
    orderBy: { name: "asc" },
    include: { connector: { select: { id: true, name: true, kind: true, enabled: true, retiredAt: true } } },
  });
  const changes = await db.auditEntry.findMany({
    where: { targetType: "domain", targetId: { in: domains.map((d) => String(d.id)) } },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  const byDomain = new Map<string, typeof changes>();
  for (const change of changes) {
    const list = byDomain.get(change.targetId) ?? [];
    list.push(change);
    byDomain.set(change.targetId, list);
  }
  return {
    items: domains.map((d) => ({
      id: d.id,
      name: d.name,
      type: d.type,
      connector: d.connector && { ...d.connector, retiredAt: d.connector.retiredAt?.toISOString() ?? null },
      changes: (byDomain.get(String(d.id)) ?? []).slice(0, CHANGES_PER_DOMAIN).map(toAuditView),
    })),
  };
}

/** The connectors a domain may name as its relay (retired ones only to show what a domain has). */
export async function listRelayChoices(db: Db): Promise<RelayChoice[]> {
  const rows = await db.connector.findMany({ select: { id: true, name: true, retiredAt: true }, orderBy: { name: "asc" } });
  return rows.map((r) => ({ id: r.id, name: r.name, retired: r.retiredAt !== null }));
}
