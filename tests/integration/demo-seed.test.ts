import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoEvents } from "@/lib/demo/events";
import { demoConnector } from "@/lib/demo/organisation";
import { reseedDemo, seedDemoIfEmpty } from "@/lib/demo/seed";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

const NOW = new Date("2026-11-27T12:30:00.000Z");

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("demo seed", () => {
  it("loads the organisation and its events into an empty database, and only then", async () => {
    expect(await seedDemoIfEmpty(t.db, { now: NOW })).toBe(true);
    expect(await t.db.connector.count()).toBe(4);
    // Marked as demo: never probed (docs/probe.md).
    expect(await t.db.connector.count({ where: { demo: true } })).toBe(4);
    expect(await t.db.acceptedDomain.count()).toBe(5);
    expect(await t.db.deliveryEvent.count()).toBe(generateDemoEvents({ now: NOW }).length);
    expect(await t.db.deliveryEvent.count({ where: { source: { not: "demo" } } })).toBe(0);
    expect(await seedDemoIfEmpty(t.db, { now: NOW })).toBe(false);
  });

  it("relays the Internal relay domains through the on-premises connector", async () => {
    const onPremises = await t.db.connector.findUniqueOrThrow({ where: { name: demoConnector("onPremises").name } });
    const relayed = await t.db.acceptedDomain.findMany({ where: { type: "INTERNAL_RELAY" }, orderBy: { name: "asc" } });
    expect(relayed.map((d) => [d.name, d.connectorId])).toEqual([
      ["contoso-nordic.se", onPremises.id],
      ["corp.contoso-nordic.se", onPremises.id],
    ]);
  });

  it("raises a high, active 4.4.316 alert on the on-premises connector with hundreds of messages queued", async () => {
    const alert = await alertOf("onPremises", "4.4.316");
    expect(alert.status).toBe("ACTIVE");
    expect(alert.severity).toBe("HIGH");
    expect(alert.queuedCount).toBeGreaterThanOrEqual(200);
    expect(alert.expiredCount).toBe(0);
    expect(NOW.getTime() - (alert.oldestQueuedAt?.getTime() ?? NOW.getTime())).toBeGreaterThan(60 * 60_000);
    expect(alert.affectedDomains.sort()).toEqual(["contoso-nordic.se", "corp.contoso-nordic.se"]);
    expect(alert.latestDestination).toBe("mail.contoso-nordic.se");
  });

  it("keeps the expired certificate active and the recovered DNS outage resolved", async () => {
    expect((await alertOf("archive", "4.7.320")).status).toBe("ACTIVE");
    const dns = await alertOf("payroll", "4.4.312");
    expect(dns.status).toBe("RESOLVED");
    expect(dns.queuedCount).toBe(0);
    expect(dns.resolvedAt).not.toBeNull();
    for (const code of ["4.4.315", "4.4.318"]) expect((await alertOf("subsidiary", code)).status).toBe("RESOLVED");
    expect((await alertOf("subsidiary", "4.4.317")).status).toBe("ACTIVE");
    expect((await alertOf("payroll", "4.4.0")).status).toBe("ACTIVE");
  });

  it("reloads the same demo after the data was changed", async () => {
    const before = await counts();
    await t.db.auditEntry.create({ data: { actor: "test", action: "connector.disable", targetType: "connector", targetId: "1" } });
    await t.db.connector.create({ data: { name: "Left over", kind: "PARTNER", smartHosts: [], recipientDomains: [] } });
    const loaded = await reseedDemo(t.db, { now: NOW });
    expect(await counts()).toEqual(before);
    expect(loaded).toEqual({
      connectors: 4,
      domains: 5,
      events: before.events,
      alerts: before.alerts,
      queuedMessages: before.queued,
    });
    expect(await t.db.auditEntry.count()).toBe(0);
  });
});

async function alertOf(key: Parameters<typeof demoConnector>[0], errorCode: string) {
  return t.db.alert.findFirstOrThrow({
    where: { errorCode, connector: { name: demoConnector(key).name } },
    orderBy: { firstSeenAt: "desc" },
  });
}

async function counts() {
  const [connectors, domains, events, messages, queued, alerts, active] = await Promise.all([
    t.db.connector.count(),
    t.db.acceptedDomain.count(),
    t.db.deliveryEvent.count(),
    t.db.queuedMessage.count(),
    t.db.queuedMessage.count({ where: { state: "QUEUED" } }),
    t.db.alert.count(),
    t.db.alert.count({ where: { status: "ACTIVE" } }),
  ]);
  return { connectors, domains, events, messages, queued, alerts, active };
}
