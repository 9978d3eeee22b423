import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { performAlertAction, wakeSnoozedAlerts } from "@/lib/alerts/actions";
import { AppError } from "@/lib/http/errors";
import { createConnector } from "@/tests/helpers/factories";
import { testActor } from "@/tests/helpers/actors";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});

afterAll(async () => {
  await testDb.drop();
});

beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "AuditEntry", "Alert", "Connector" RESTART IDENTITY CASCADE`);
});

const ada = testActor("ada");
const NOW = new Date("2026-11-27T12:00:00.000Z");

async function createAlert(queuedCount = 12) {
  const connector = await createConnector(db);
  const at = new Date("2026-11-27T10:00:00.000Z");
  return db.alert.create({ data: { connectorId: connector.id, errorCode: "4.4.315", firstSeenAt: at, lastSeenAt: at, queuedCount } });
}

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("alert actions", () => {
  it("acknowledge sets Investigating with who and when, and audits before and after", async () => {
    const alert = await createAlert();
    const result = await performAlertAction(db, { alertId: alert.id, actor: ada, action: { action: "acknowledge" }, now: NOW });
    expect(result).toMatchObject({ id: alert.id, status: "INVESTIGATING", acknowledgedBy: "ada", acknowledgedAt: NOW.toISOString() });
    const [entry] = await db.auditEntry.findMany();
    expect(entry).toMatchObject({
      actor: "ada",
      action: "alert.acknowledge",
      targetType: "alert",
      targetId: String(alert.id),
      before: { status: "ACTIVE", acknowledgedBy: null, acknowledgedAt: null },
      after: { status: "INVESTIGATING", acknowledgedBy: "ada", acknowledgedAt: NOW.toISOString() },
    });
  });

  it("two admins acknowledging at once: one wins, the other is told who did it", async () => {
    const alert = await createAlert();
    const results = await Promise.allSettled(["ada", "bo"].map((name) => performAlertAction(db, { alertId: alert.id, actor: testActor(name), action: { action: "acknowledge" } })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect((loser?.reason as AppError).status).toBe(409);
    expect((loser?.reason as AppError).message).toMatch(/already acknowledged by (ada|bo)/);
    expect(await db.auditEntry.count()).toBe(1);
  });

  it("dismiss stores the reason; afterwards nothing else may change the alert", async () => {
    const alert = await createAlert();
    await performAlertAction(db, { alertId: alert.id, actor: ada, action: { action: "dismiss", reason: "Test connector, ignore" }, now: NOW });
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: "DISMISSED", dismissedBy: "ada", dismissedReason: "Test connector, ignore" });
    expect((await db.auditEntry.findFirstOrThrow()).note).toBe("Test connector, ignore");
    const e = await refused(performAlertAction(db, { alertId: alert.id, actor: ada, action: { action: "acknowledge" } }));
    expect(e.status).toBe(409);
    expect(await db.auditEntry.count()).toBe(1);
  });

  it("snooze keeps the queued count; unsnooze ends it", async () => {
    const alert = await createAlert(12);
    const until = "2026-11-27T18:00:00.000Z";
    const snoozed = await performAlertAction(db, { alertId: alert.id, actor: ada, action: { action: "snooze", until }, now: NOW });
    expect(snoozed).toMatchObject({ status: "SNOOZED", snoozedUntil: until, snoozedQueued: 12 });
    const back = await performAlertAction(db, { alertId: alert.id, actor: ada, action: { action: "unsnooze" }, now: NOW });
    expect(back).toMatchObject({ status: "ACTIVE", snoozedUntil: null, snoozedQueued: null });
    expect((await db.auditEntry.findMany({ orderBy: { id: "asc" } })).map((a) => a.action)).toEqual(["alert.snooze", "alert.unsnooze"]);
  });

  it("a snooze in the past or an unknown alert is refused without any change", async () => {
    const alert = await createAlert();
    expect((await refused(performAlertAction(db, { alertId: alert.id, actor: ada, action: { action: "snooze", until: "2026-11-27T11:00:00Z" }, now: NOW }))).status).toBe(400);
    expect((await refused(performAlertAction(db, { alertId: 999_999, actor: ada, action: { action: "acknowledge" } }))).status).toBe(404);
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: "ACTIVE", snoozedUntil: null });
    expect(await db.auditEntry.count()).toBe(0);
  });

  it("wakeSnoozedAlerts makes alerts active again that got worse or whose snooze ended, and audits it as the system", async () => {
    const holding = await createAlert(12);
    const worse = await createAlert(12);
    const ended = await createAlert(12);
    for (const a of [holding, worse, ended]) {
      await performAlertAction(db, { alertId: a.id, actor: ada, action: { action: "snooze", until: "2026-11-27T18:00:00Z" }, now: NOW });
    }
    await db.alert.update({ where: { id: worse.id }, data: { queuedCount: 13 } });
    await db.alert.update({ where: { id: ended.id }, data: { snoozedUntil: new Date("2026-11-27T11:59:00Z") } });

    expect(await wakeSnoozedAlerts(db, NOW)).toBe(2);
    const statuses = Object.fromEntries((await db.alert.findMany()).map((a) => [a.id, a.status]));
    expect(statuses).toEqual({ [holding.id]: "SNOOZED", [worse.id]: "ACTIVE", [ended.id]: "ACTIVE" });
    const wakes = await db.auditEntry.findMany({ where: { action: "alert.wake" }, orderBy: { targetId: "asc" } });
    expect(wakes.map((w) => [w.actor, w.targetId, w.note])).toEqual([
      ["system", String(worse.id), "More messages queued (13) than when snoozed (12)"],
      ["system", String(ended.id), "Snooze ended"],
    ]);
    expect(await wakeSnoozedAlerts(db, NOW)).toBe(0);
  });
});
