import type { Db } from "@/lib/db/client";

// What the order-independence tests compare, and how they reorder: one connector's alerts (linked
// by label, not id; ties of several connectors in connector order), queued messages, hourly
// counts and the first connector's fold clock; a seeded shuffle; batches.

/** The connector's grouping state with ids replaced by labels, so two runs compare equal. */
export async function groupingSnapshot(db: Db) {
  const alerts = await db.alert.findMany({ orderBy: [{ errorCode: "asc" }, { firstSeenAt: "asc" }, { connectorId: "asc" }] });
  const label = new Map(alerts.map((a) => [a.id, `${a.errorCode}@${a.firstSeenAt.toISOString()}`]));
  const messages = await db.queuedMessage.findMany({ orderBy: [{ messageId: "asc" }, { recipient: "asc" }, { connectorId: "asc" }] });
  const counts = await db.eventHourlyCount.findMany({ orderBy: [{ hour: "asc" }, { code: "asc" }, { connectorId: "asc" }] });
  return {
    alerts: alerts.map(({ id: _id, createdAt: _c, updatedAt: _u, regressionOfId, connectorId: _k, ...rest }) => ({
      ...rest,
      regressionOf: regressionOfId ? label.get(regressionOfId) : null,
    })),
    messages: messages.map(({ id: _id, alertId, ...rest }) => ({ ...rest, alert: alertId ? label.get(alertId) : null })),
    counts: counts.map(({ connectorId: _k, ...rest }) => rest),
    clock: (await db.connector.findFirstOrThrow({ orderBy: { id: "asc" } })).foldedThrough,
  };
}

/** A deterministic shuffle (a linear congruential generator seeded by `seed`). */
export function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
