import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { expectedAlerts } from "@/lib/notify/maintenance";
import { routeTransitions } from "@/lib/notify/router";
import { newSecretKey, parseSecretKey } from "@/lib/notify/secrets";
import { createConnector } from "@/tests/helpers/factories";
import { createChannel, createRule } from "@/tests/helpers/notify";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The router against Postgres: the outbox's transitions through the rules into notifications,
// grouped, limited per day, quiet for dismissed and snoozed alerts and in maintenance windows.
// Alerts are changed with plain SQL here: the triggers fire whoever writes (notify-triggers.test.ts).
let t: TestDatabase;
let db: Db;
const key = parseSecretKey(newSecretKey());
beforeAll(async () => { t = await createTestDatabase(); db = t.db; });
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationRule", "NotificationChannel", "MaintenanceWindow", "AlertTransition", "Alert", "Connector" RESTART IDENTITY CASCADE`);
});

const T0 = new Date("2026-11-27T09:00:00.000Z");
const openAlert = (connectorId: number, errorCode = "4.4.316", severity: "LOW" | "MEDIUM" | "HIGH" = "MEDIUM") =>
  db.alert.create({ data: { connectorId, errorCode, severity, firstSeenAt: T0, lastSeenAt: T0 } });
const notifications = () => db.notification.findMany({ orderBy: { id: "asc" } });

describe("routing", () => {
  it("sends each change to the rules it matches and notes why the others went nowhere", async () => {
    const c = await createConnector(db);
    const other = await createConnector(db);
    const all = await createChannel(db, key, "http://127.0.0.1:9/a");
    const highOnly = await createChannel(db, key, "http://127.0.0.1:9/b");
    await createRule(db, all.id, { connectorIds: [c.id] });
    await createRule(db, highOnly.id, { triggers: ["high"] });
    const a = await openAlert(c.id);
    await openAlert(other.id);
    await db.alert.update({ where: { id: a.id }, data: { severity: "HIGH" } });
    expect(await routeTransitions(db)).toBe(3);
    const sent = await notifications();
    expect(sent.map((n) => [n.channelId, n.trigger, n.alertIds, n.state])).toEqual([
      [all.id, "opened", [a.id], "PENDING"],
      [all.id, "high", [a.id], "PENDING"],
      [highOnly.id, "high", [a.id], "PENDING"],
    ]);
    expect(new Set(sent.map((n) => n.key)).size).toBe(3);
    const notes = await db.alertTransition.findMany({ orderBy: { id: "asc" }, select: { routedNote: true, routedAt: true } });
    expect(notes.map((n) => n.routedNote)).toEqual(["opened to 1 rule(s)", "no rule", "high to 2 rule(s)"]);
    expect(await routeTransitions(db)).toBe(0);
  });

  it("groups one connector's, code's and trigger's changes within the window into one notification", async () => {
    const c = await createConnector(db);
    const ch = await createChannel(db, key, "http://127.0.0.1:9/a");
    await createRule(db, ch.id, { triggers: ["expired"], groupMinutes: 10 });
    const a = await openAlert(c.id);
    await db.alert.update({ where: { id: a.id }, data: { expiredCount: 2 } });
    await routeTransitions(db);
    await db.alert.update({ where: { id: a.id }, data: { expiredCount: 5 } });
    const b = await openAlert(c.id, "4.4.316");
    await db.alert.update({ where: { id: b.id }, data: { expiredCount: 1 } });
    await routeTransitions(db);
    const [grouped, ...rest] = await notifications();
    expect(rest).toEqual([]);
    expect(grouped?.alertIds).toEqual([a.id, b.id]);
    expect((grouped?.payload as { alerts: unknown[] }).alerts).toEqual([
      { alertId: a.id, severity: "MEDIUM", expired: 2 }, { alertId: a.id, severity: "MEDIUM", expired: 3 }, { alertId: b.id, severity: "MEDIUM", expired: 1 },
    ]);
    // Past the window, or once delivery has started, a new notification starts.
    await db.alert.update({ where: { id: a.id }, data: { expiredCount: 6 } });
    await routeTransitions(db, { now: () => new Date(Date.now() + 11 * 60_000) });
    expect(await db.notification.count()).toBe(2);
  });

  it("suppresses past the rule's daily limit, with the reason", async () => {
    const c = await createConnector(db);
    const ch = await createChannel(db, key, "http://127.0.0.1:9/a");
    await createRule(db, ch.id, { dailyLimit: 2 });
    for (const code of ["4.4.316", "4.4.317", "4.7.320"]) await openAlert(c.id, code);
    await routeTransitions(db);
    expect((await notifications()).map((n) => [n.state, n.lastError])).toEqual([
      ["PENDING", null], ["PENDING", null], ["SUPPRESSED", "the rule's daily limit of 2 was reached"],
    ]);
  });

  it("notifies nobody of dismissed or snoozed alerts, nor in a maintenance window (expected)", async () => {
    const c = await createConnector(db);
    const planned = await createConnector(db);
    const ch = await createChannel(db, key, "http://127.0.0.1:9/a");
    await createRule(db, ch.id);
    const dismissed = await openAlert(c.id, "4.4.316");
    const snoozed = await openAlert(c.id, "4.4.317");
    await routeTransitions(db);
    await db.notification.deleteMany();
    await db.alert.update({ where: { id: dismissed.id }, data: { status: "DISMISSED" } });
    await db.alert.update({ where: { id: snoozed.id }, data: { status: "SNOOZED", snoozedUntil: new Date(Date.now() + 3_600_000) } });
    await db.alert.updateMany({ where: { id: { in: [dismissed.id, snoozed.id] } }, data: { severity: "HIGH" } });
    await db.maintenanceWindow.create({ data: { connectorId: planned.id, startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3_600_000), reason: "server move", createdBy: "ada" } });
    const expectedAlert = await db.alert.create({ data: { connectorId: planned.id, errorCode: "4.4.316", firstSeenAt: new Date(), lastSeenAt: new Date() } });
    await routeTransitions(db);
    expect(await notifications()).toEqual([]);
    const notes = await db.alertTransition.findMany({ where: { routedNote: { not: { contains: "rule" } } }, orderBy: { id: "asc" } });
    expect(notes.map((n) => n.routedNote)).toEqual(["dismissed", "snoozed", expect.stringMatching(/^expected: maintenance window #\d+$/)]);
    // Read back, the alert that started in the window is expected; the others are not.
    const expected = await expectedAlerts(db, await db.alert.findMany({ orderBy: { id: "asc" } }));
    expect([...expected.entries()].map(([id, e]) => [id, e.reason])).toEqual([[expectedAlert.id, "server move"]]);
  });

  it("routes every transition exactly once with two routers at once", async () => {
    const c = await createConnector(db);
    const ch = await createChannel(db, key, "http://127.0.0.1:9/a");
    await createRule(db, ch.id, { dailyLimit: 10_000 });
    for (let i = 0; i < 300; i++) await openAlert(c.id, `4.4.${i}`);
    await Promise.all([routeTransitions(db), routeTransitions(db), routeTransitions(db)]);
    expect(await db.notification.count()).toBe(300);
    expect(await db.alertTransition.count({ where: { routedAt: null } })).toBe(0);
  });
});
