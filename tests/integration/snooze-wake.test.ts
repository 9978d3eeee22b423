import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { performAlertAction, wakeSnoozedAlerts } from "@/lib/alerts/actions";
import { ingestEvents } from "@/lib/events/ingest";
import { sweepQueues } from "@/lib/events/sweep";
import { testActor } from "@/tests/helpers/actors";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// One rule wakes a snoozed alert (lib/alerts/snooze.ts), whether ingest, the sweep's fold or the
// sweep's wake finds that it no longer holds: ACTIVE again, the snooze cleared, audited with why.
let t: TestDatabase;
let connectorId: number;
const T0 = Date.parse("2026-11-27T08:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const ada = testActor("ada");

beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await t.db.$executeRawUnsafe(`TRUNCATE "DeliveryEvent", "EventClientId", "QueuedMessage", "Alert", "AuditEntry", "Connector" RESTART IDENTITY CASCADE`);
  connectorId = (await createConnector(t.db, { name: "On-prem" })).id;
});

async function snoozedAlertWithTwoQueued(until: Date) {
  await ingestEvents(t.db, [0, 1].map((i) => buildEvent({ id: `q${i}`, occurredAt: at(i).toISOString(), connector: connectorId })), { now: at(2) });
  const alert = await t.db.alert.findFirstOrThrow();
  await performAlertAction(t.db, { alertId: alert.id, actor: ada, action: { action: "snooze", until: until.toISOString() }, now: at(3) });
  return alert.id;
}

async function wakes() {
  return (await t.db.auditEntry.findMany({ where: { action: "alert.wake" }, orderBy: { id: "asc" } })).map((w) => ({ actor: w.actor, targetId: w.targetId, note: w.note, after: w.after }));
}

describe("waking a snoozed alert", () => {
  it("ingest wakes it when the queue grows past the snooze: ACTIVE, snooze cleared, audited as the system", async () => {
    const id = await snoozedAlertWithTwoQueued(at(600));
    await ingestEvents(t.db, [buildEvent({ id: "more", occurredAt: at(5).toISOString(), connector: connectorId })], { now: at(6) });
    expect(await t.db.alert.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ACTIVE", queuedCount: 3, snoozedUntil: null, snoozedQueued: null });
    expect(await wakes()).toEqual([{ actor: "system", targetId: String(id), note: "More messages queued (3) than when snoozed (2)", after: expect.objectContaining({ status: "ACTIVE", why: "worse" }) }]);
    // Nothing left for the sweep to wake, and a second look changes nothing.
    expect(await wakeSnoozedAlerts(t.db, at(7))).toBe(0);
    expect(await wakes()).toHaveLength(1);
  });

  it("ingest leaves a snooze that holds: a retry of a queued message is no growth", async () => {
    const id = await snoozedAlertWithTwoQueued(at(600));
    await ingestEvents(t.db, [buildEvent({ id: "retry", occurredAt: at(5).toISOString(), connector: connectorId, messageId: (await t.db.queuedMessage.findFirstOrThrow()).messageId, recipient: (await t.db.queuedMessage.findFirstOrThrow()).recipient })], { now: at(6) });
    expect(await t.db.alert.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SNOOZED", queuedCount: 2, snoozedQueued: 2 });
    expect(await wakes()).toEqual([]);
  });

  it("ingest wakes it when the snooze time has run out, with that reason", async () => {
    const id = await snoozedAlertWithTwoQueued(at(30));
    await ingestEvents(t.db, [buildEvent({ id: "later", occurredAt: at(40).toISOString(), connector: connectorId, status: "delivered", errorCode: undefined })], { now: at(41) });
    expect(await t.db.alert.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ACTIVE", snoozedUntil: null, snoozedQueued: null });
    expect(await wakes()).toEqual([expect.objectContaining({ targetId: String(id), note: "Snooze ended", after: expect.objectContaining({ why: "expired" }) })]);
  });

  it("the sweep's fold wakes it by the same rule when the clock alone moves it", async () => {
    const id = await snoozedAlertWithTwoQueued(at(30));
    // An hour's wait makes the sweep fold the quiet connector; its snooze ran out meanwhile.
    expect(await sweepQueues(t.db, at(70))).toBe(1);
    expect(await t.db.alert.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ACTIVE", severity: "HIGH", snoozedUntil: null, snoozedQueued: null });
    expect(await wakes()).toEqual([expect.objectContaining({ targetId: String(id), note: "Snooze ended" })]);
  });

  it("the sweep's wake ends a snooze whose time ran out on a connector nothing folds", async () => {
    const id = await snoozedAlertWithTwoQueued(at(30));
    expect(await wakeSnoozedAlerts(t.db, at(20))).toBe(0);
    expect(await wakeSnoozedAlerts(t.db, at(31))).toBe(1);
    expect(await t.db.alert.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ACTIVE", snoozedUntil: null, snoozedQueued: null });
    expect(await wakes()).toEqual([expect.objectContaining({ actor: "system", targetId: String(id), note: "Snooze ended" })]);
  });
});
