import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getAlertDetail, listAlerts, listAlertsOfConnector } from "@/lib/alerts/queries";
import { alertDetailQuerySchema, alertListQuerySchema } from "@/lib/alerts/schemas";
import type { Db } from "@/lib/db/client";
import { expectedAlerts } from "@/lib/notify/maintenance";
import { createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Alerts marked as expected by maintenance windows, as the alert list, the alert's page and the
// connector page read them: a window open now marks its connector's open alerts; a window open
// when an alert started marks it for good; a planned window, another connector's, a resolved
// alert under a window open now (that started outside one) are not expected.
let t: TestDatabase;
let db: Db;
const HOUR = 3_600_000;
const now = Date.now();
const at = (hours: number) => new Date(now + hours * HOUR);

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "MaintenanceWindow", "AlertTransition", "Alert", "Connector" RESTART IDENTITY CASCADE`);
});

describe("expected alerts", () => {
  it("marks alerts by the window open now or when they started, in every read of alerts, with the window's end and note", async () => {
    const relay = await createConnector(db, { name: "Relay in maintenance" });
    const other = await createConnector(db, { name: "Other relay" });
    const alert = (connectorId: number, code: string, firstSeen: number, resolved?: number) =>
      db.alert.create({ data: { connectorId, errorCode: code, firstSeenAt: at(firstSeen), lastSeenAt: at(resolved ?? 0), ...(resolved === undefined ? {} : { status: "RESOLVED", resolvedAt: at(resolved) }) } });
    const openNow = await alert(relay.id, "4.4.316", -5);
    const resolvedNow = await alert(relay.id, "4.4.317", -5, -0.1);
    const startedInPast = await alert(relay.id, "4.4.318", -30, -28);
    const startedBeforePast = await alert(relay.id, "4.4.315", -40, -39);
    const otherOpen = await alert(other.id, "4.4.316", -1);
    await db.maintenanceWindow.createMany({
      data: [
        { connectorId: relay.id, startsAt: at(-1), endsAt: at(2), reason: "Firewall swap", createdBy: "ada" },
        { connectorId: relay.id, startsAt: at(-31), endsAt: at(-29), reason: "Last month's move", createdBy: "ada" },
        { connectorId: relay.id, startsAt: at(5), endsAt: at(6), reason: "Planned later", createdBy: "ada" },
        { connectorId: other.id, startsAt: at(3), endsAt: at(4), reason: "Planned on the other", createdBy: "ada" },
      ],
    });

    const expected = await expectedAlerts(db, await db.alert.findMany({ orderBy: { id: "asc" } }));
    expect(Object.fromEntries([...expected].map(([id, e]) => [id, [e.reason, e.endsAt.getTime()]]))).toEqual({
      [openNow.id]: ["Firewall swap", at(2).getTime()],
      [startedInPast.id]: ["Last month's move", at(-29).getTime()],
    });
    for (const quiet of [resolvedNow, startedBeforePast, otherOpen]) expect(expected.has(quiet.id)).toBe(false);

    const list = await listAlerts(db, alertListQuerySchema.parse({ status: "all" }));
    const byId = new Map(list.items.map((a) => [a.id, a.expected]));
    expect(byId.get(openNow.id)).toEqual({ windowId: expect.any(Number), reason: "Firewall swap", endsAt: at(2).toISOString() });
    expect(byId.get(otherOpen.id)).toBeNull();

    const detail = await getAlertDetail(db, openNow.id, alertDetailQuerySchema.parse({}));
    expect(detail.alert.expected).toMatchObject({ reason: "Firewall swap" });
    expect((await getAlertDetail(db, otherOpen.id, alertDetailQuerySchema.parse({}))).alert.expected).toBeNull();

    const ofRelay = await listAlertsOfConnector(db, relay.id, { from: at(-48), to: at(1) });
    expect(ofRelay.filter((a) => a.expected).map((a) => [a.id, a.expected?.reason])).toEqual([[startedInPast.id, "Last month's move"], [openNow.id, "Firewall swap"]]);
  });

  it("reads the windows in one query however many alerts are listed", async () => {
    const relay = await createConnector(db);
    await db.alert.createMany({ data: Array.from({ length: 200 }, (_, i) => ({ connectorId: relay.id, errorCode: `4.4.${i}`, firstSeenAt: at(-2), lastSeenAt: at(0) })) });
    await db.maintenanceWindow.create({ data: { connectorId: relay.id, startsAt: at(-1), endsAt: at(1), reason: "Patch night", createdBy: "ada" } });
    const queries: string[] = [];
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "$queryRawUnsafe") return (sql: string, ...values: unknown[]) => { queries.push(sql); return target.$queryRawUnsafe(sql, ...values); };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const expected = await expectedAlerts(counting, await db.alert.findMany());
    expect(expected.size).toBe(200);
    expect(queries).toHaveLength(1);
  });
});
