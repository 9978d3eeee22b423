import "server-only";
import { toAuditView } from "@/lib/alerts/queries";
import type { Db } from "@/lib/db/client";
import type { DomainList } from "@/lib/domains/schemas";

// Accepted domains with the connector that relays them and the audited changes to each.
const CHANGES_PER_DOMAIN = 50;

export async function listDomains(db: Db): Promise<DomainList> {
  const domains = await db.acceptedDomain.findMany({
    orderBy: { name: "asc" },
    include: { connector: { select: { id: true, name: true, kind: true, enabled: true } } },
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
      connector: d.connector,
      changes: (byDomain.get(String(d.id)) ?? []).slice(0, CHANGES_PER_DOMAIN).map(toAuditView),
    })),
  };
}
