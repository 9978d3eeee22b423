import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { sweepQueues } from "@/lib/events/sweep";
import { performAlertAction } from "@/lib/alerts/actions";
import { applyCertificateObservation } from "@/lib/probe/cert-warning";
import { applyFixNow, undoFixNow } from "@/lib/remediation/service";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { testActor } from "@/tests/helpers/actors";
import { takeTriggers } from "@/tests/helpers/notify";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The outbox's triggers on Alert and Remediation (docs/notifications.md): every committed change
// that may notify writes its transition in the changing transaction, whoever makes it; a replay
// that rebuilds the same state writes none.
let t: TestDatabase;
let db: Db;
beforeAll(async () => { t = await createTestDatabase(); db = t.db; });
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "AlertTransition", "AuditEntry", "Remediation", "QueuedMessage", "DeliveryEvent", "EventClientId", "Alert", "AcceptedDomain", "Connector" RESTART IDENTITY CASCADE`);
});

const T0 = Date.parse("2026-11-27T09:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const NOW = new Date(T0 + 3 * 86_400_000);

describe("the fold's alert transitions", () => {
  it("writes one transition per opened, turned HIGH, resolved, regressed and expired; a replay and duplicates write none", async () => {
    const c = await createConnector(db);
    const m1 = { connector: c.id, messageId: "<m1@contoso.example>", recipient: "bo@contoso.example" };
    const m2 = { connector: c.id, messageId: "<m2@contoso.example>", recipient: "bo@contoso.example" };
    const opened = [buildEvent({ ...m1, id: "a1", occurredAt: at(0) })];
    await ingestEvents(db, opened, { now: NOW });
    const [alert] = await db.alert.findMany();
    expect(alert?.severity).not.toBe("HIGH");
    expect(await takeTriggers(db)).toEqual([`opened:${alert?.id}`]);

    const high = [buildEvent({ ...m1, id: "a2", occurredAt: at(70) })];
    await ingestEvents(db, high, { now: NOW });
    expect(await takeTriggers(db)).toEqual([`high:${alert?.id}`]);

    const resolved = [buildEvent({ ...m1, id: "a3", occurredAt: at(80), status: "delivered", errorCode: undefined, errorDetails: undefined })];
    await ingestEvents(db, resolved, { now: NOW });
    expect(await takeTriggers(db)).toEqual([`resolved:${alert?.id}`]);

    // A late failure inside the episode: the replay rebuilds the alert with the same severity,
    // resolution and expired count. The same events again: duplicates, nothing folded.
    await ingestEvents(db, [buildEvent({ ...m1, id: "late", occurredAt: at(30) })], { now: NOW });
    await ingestEvents(db, [...opened, ...high, ...resolved], { now: NOW });
    expect(await takeTriggers(db)).toEqual([]);

    await ingestEvents(db, [buildEvent({ ...m2, id: "b1", occurredAt: at(120) })], { now: NOW });
    const regression = await db.alert.findFirstOrThrow({ where: { regressionOfId: alert?.id } });
    expect(await takeTriggers(db)).toEqual([`regressed:${regression.id}`]);

    // The sweep a day later: its message waited past an hour (HIGH) and expired (one message);
    // never recovered, the alert stays open.
    await sweepQueues(db, new Date(T0 + (120 + 25 * 60 + 10) * 60_000));
    expect(await takeTriggers(db)).toEqual([`high:${regression.id}`, `expired:${regression.id}:1`]);
    await sweepQueues(db, new Date(T0 + (120 + 26 * 60) * 60_000));
    expect(await takeTriggers(db)).toEqual([]);
  });

  it("reads an alert opened and raised in one batch as one opened, and the same events in any batches notify the same", async () => {
    const c = await createConnector(db);
    const events = [0, 30, 70, 75].map((m, i) => buildEvent({ connector: c.id, id: `e${i}`, messageId: "<m@contoso.example>", recipient: "bo@contoso.example", occurredAt: at(m) }));
    await ingestEvents(db, events, { now: NOW });
    const [alert] = await db.alert.findMany();
    expect(alert?.severity).toBe("HIGH");
    expect(await takeTriggers(db)).toEqual([`opened:${alert?.id}`]);
    // Shuffled again as late duplicates plus one late event that changes nothing notified.
    await ingestEvents(db, [events[3], events[1]], { now: NOW });
    await ingestEvents(db, [buildEvent({ connector: c.id, id: "late", messageId: "<m@contoso.example>", recipient: "bo@contoso.example", occurredAt: at(50) })], { now: NOW });
    expect(await takeTriggers(db)).toEqual([]);
  });

  it("writes nothing for an admin's acknowledgement", async () => {
    const c = await createConnector(db);
    await ingestEvents(db, [buildEvent({ connector: c.id, occurredAt: at(0) })], { now: NOW });
    const [alert] = await db.alert.findMany();
    await takeTriggers(db);
    await performAlertAction(db, { alertId: alert!.id, actor: testActor("ada"), action: { action: "acknowledge" } });
    expect(await takeTriggers(db)).toEqual([]);
  });
});

describe("Fix now and the certificate warning", () => {
  it("writes fixnow.applied (and the alert's resolution) and fixnow.undone", async () => {
    const c = await createConnector(db, { name: "To contoso on-premises", kind: "ON_PREMISES" });
    await createDomain(db, { name: "a.contoso.example", type: "INTERNAL_RELAY", connectorId: c.id });
    await ingestEvents(db, [buildEvent({ connector: c.id, occurredAt: at(0), recipient: "bo@a.contoso.example" })], { now: NOW });
    const [alert] = await db.alert.findMany();
    await takeTriggers(db);
    await applyFixNow(db, { alertId: alert!.id, actor: testActor("ada"), now: NOW });
    expect((await takeTriggers(db)).sort()).toEqual([`fixnow.applied:${alert!.id}`, `resolved:${alert!.id}`].sort());
    await undoFixNow(db, { alertId: alert!.id, actor: testActor("ada"), now: NOW });
    expect(await takeTriggers(db)).toContain(`fixnow.undone:${alert!.id}`);
  });

  it("writes cert.expiring when the warning opens, nothing while it continues, resolved when renewed", async () => {
    const c = await createConnector(db);
    const expiring = { expiring: true as const, host: "mail.contoso.example", details: "expires 2026-12-10", validTo: new Date("2026-12-10T00:00:00Z") };
    await db.$transaction((tx) => applyCertificateObservation(tx, c.id, expiring, new Date(T0)));
    const [warning] = await db.alert.findMany();
    expect(await takeTriggers(db)).toEqual([`cert.expiring:${warning?.id}`]);
    await db.$transaction((tx) => applyCertificateObservation(tx, c.id, expiring, new Date(T0 + 3_600_000)));
    expect(await takeTriggers(db)).toEqual([]);
    await db.$transaction((tx) => applyCertificateObservation(tx, c.id, { expiring: false, host: "mail.contoso.example", validTo: new Date("2027-12-10T00:00:00Z") }, new Date(T0 + 7_200_000)));
    expect(await takeTriggers(db)).toEqual([`resolved:${warning?.id}`]);
  });
});
