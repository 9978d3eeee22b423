import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestEvents } from "@/lib/events/ingest";
import { sweepQueues } from "@/lib/events/sweep";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let t: TestDatabase;
let connectorId: number;
const T0 = Date.parse("2026-11-26T08:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const NOW = new Date(T0 + 3 * 24 * 3600_000);

beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await t.db.$executeRawUnsafe(`TRUNCATE "DeliveryEvent", "EventClientId", "QueuedMessage", "Alert", "AuditEntry", "Remediation", "AcceptedDomain", "Connector" RESTART IDENTITY CASCADE`);
  connectorId = (await createConnector(t.db, { name: "On-prem" })).id;
  await createDomain(t.db, { name: "contoso.example", connectorId });
});

describe("ingestEvents", () => {
  it("groups failures into one alert per connector and code, and reports what became of each event", async () => {
    const result = await ingestEvents(t.db, [
      buildEvent({ id: "a", occurredAt: at(0), connector: "On-prem", messageId: "m1", recipient: "u1@contoso.example" }),
      buildEvent({ id: "b", occurredAt: at(1), connector: connectorId, messageId: "m2", recipient: "u2@fabrikam.example" }),
      buildEvent({ id: "c", occurredAt: at(2), connector: connectorId, messageId: "m3", errorCode: undefined, errorDetails: "451 4.7.500 Access denied" }),
      buildEvent({ id: "a", occurredAt: at(0), connector: connectorId }),
      buildEvent({ occurredAt: "yesterday", connector: connectorId }),
      buildEvent({ occurredAt: at(3), connector: "Nope" }),
    ], { now: NOW });
    expect(result).toEqual({
      accepted: 3,
      duplicates: 1,
      rejected: [
        { index: 4, field: "occurredAt", message: expect.stringContaining("ISO 8601") },
        { index: 5, field: "connector", message: expect.stringContaining("Nope") },
      ],
    });
    const alerts = await t.db.alert.findMany({ orderBy: { errorCode: "asc" } });
    expect(alerts.map((a) => [a.errorCode, a.eventCount, a.queuedCount, a.status])).toEqual([
      ["4.4.316", 2, 2, "ACTIVE"],
      ["4.7.500", 1, 1, "ACTIVE"],
    ]);
    expect(alerts[0]!.affectedDomains).toEqual(["contoso.example", "fabrikam.example"]);
    const again = await ingestEvents(t.db, [buildEvent({ id: "a", occurredAt: at(0), connector: connectorId })], { now: NOW });
    expect(again).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it("keeps hourly counts per connector and code equal to the events stored, duplicates left out", async () => {
    const batch = [
      buildEvent({ id: "h1", occurredAt: at(0), connector: connectorId }),
      buildEvent({ id: "h2", occurredAt: at(59), connector: connectorId }),
      buildEvent({ id: "h3", occurredAt: at(61), connector: connectorId, status: "delivered", errorCode: undefined }),
    ];
    await ingestEvents(t.db, batch, { now: NOW });
    const again = await ingestEvents(t.db, [...batch, buildEvent({ id: "h4", occurredAt: at(62), connector: connectorId, errorCode: "4.7.320" })], { now: NOW });
    expect(again).toEqual({ accepted: 1, duplicates: 3, rejected: [] });
    const alerts = await t.db.alert.findMany({ orderBy: { errorCode: "asc" } });
    expect(alerts.map((a) => [a.errorCode, a.eventCount])).toEqual([["4.4.316", 2], ["4.7.320", 1]]);
    const counts = await t.db.eventHourlyCount.findMany({ orderBy: [{ hour: "asc" }, { code: "asc" }] });
    expect(counts.map((c) => [c.hour.toISOString(), c.code, c.count])).toEqual([
      [at(0), "4.4.316", 2],
      [at(60), "4.7.320", 1],
      [at(60), "delivered", 1],
    ]);
  });

  it("takes `unknown` when a failure names no code anywhere", async () => {
    await ingestEvents(t.db, [buildEvent({ occurredAt: at(0), connector: connectorId, errorCode: undefined, errorDetails: "connection lost" })], { now: NOW });
    expect((await t.db.alert.findFirstOrThrow()).errorCode).toBe("unknown");
  });

  it("resolves when the connector delivers again and nothing is queued, and opens a linked regression later", async () => {
    await ingestEvents(t.db, [
      buildEvent({ occurredAt: at(0), connector: connectorId, messageId: "m1", recipient: "a@contoso.example" }),
      buildEvent({ occurredAt: at(10), connector: connectorId, messageId: "m1", recipient: "a@contoso.example" }),
      buildEvent({ occurredAt: at(20), connector: connectorId, messageId: "m1", recipient: "a@contoso.example", status: "delivered", errorCode: undefined, errorDetails: undefined }),
    ], { now: NOW });
    let alert = await t.db.alert.findFirstOrThrow();
    expect([alert.status, alert.resolvedReason, alert.resolvedAt?.toISOString(), alert.queuedCount]).toEqual(["RESOLVED", "delivered", at(20), 0]);
    const message = await t.db.queuedMessage.findFirstOrThrow();
    expect([message.state, message.attempts, message.settledAt?.toISOString()]).toEqual(["DELIVERED", 3, at(20)]);

    await ingestEvents(t.db, [buildEvent({ occurredAt: at(90), connector: connectorId, messageId: "m9" })], { now: NOW });
    const alerts = await t.db.alert.findMany({ orderBy: { id: "asc" } });
    expect(alerts).toHaveLength(2);
    alert = alerts[1]!;
    expect([alert.status, alert.regressionOfId]).toEqual(["ACTIVE", alerts[0]!.id]);
  });

  it("stays open while a message is still queued after the connector recovers", async () => {
    await ingestEvents(t.db, [
      buildEvent({ occurredAt: at(0), connector: connectorId, messageId: "stuck" }),
      buildEvent({ occurredAt: at(5), connector: connectorId, messageId: "other", status: "delivered", errorCode: undefined }),
    ], { now: NOW });
    const alert = await t.db.alert.findFirstOrThrow();
    expect([alert.status, alert.recoveredAt?.toISOString(), alert.queuedCount]).toEqual(["ACTIVE", at(5), 1]);
  });

  it("raises an alert to HIGH once its oldest message has waited an hour, even when no event arrives", async () => {
    await ingestEvents(t.db, [buildEvent({ occurredAt: at(0), connector: connectorId, messageId: "waiting" })], { now: NOW });
    expect((await t.db.alert.findFirstOrThrow()).severity).toBe("LOW");
    // The sweep stays 5 minutes behind now: at 64 minutes the fold has seen 59 of waiting.
    expect(await sweepQueues(t.db, new Date(T0 + 64 * 60_000))).toBe(0);
    expect(await sweepQueues(t.db, new Date(T0 + 66 * 60_000))).toBe(1);
    const alert = await t.db.alert.findFirstOrThrow();
    expect([alert.severity, alert.queuedCount, alert.oldestQueuedAt?.toISOString()]).toEqual(["HIGH", 1, at(0)]);
    expect((await t.db.queuedMessage.findFirstOrThrow({ where: { messageId: "waiting" } })).state).toBe("QUEUED");
    // Nothing more for the clock alone to change until the message expires.
    expect(await sweepQueues(t.db, new Date(T0 + 120 * 60_000))).toBe(0);
  });

  it("expires a message 24 hours after its first attempt, records the bounce and then resolves", async () => {
    await ingestEvents(t.db, [
      buildEvent({ occurredAt: at(0), connector: connectorId, messageId: "stuck" }),
      buildEvent({ occurredAt: at(5), connector: connectorId, messageId: "other", status: "delivered", errorCode: undefined }),
    ], { now: NOW });
    expect(await sweepQueues(t.db, new Date(T0 + 25 * 3600_000))).toBe(1);
    expect(await sweepQueues(t.db, new Date(T0 + 26 * 3600_000))).toBe(0);
    const message = await t.db.queuedMessage.findFirstOrThrow({ where: { messageId: "stuck" } });
    expect([message.state, message.ndrAt?.toISOString()]).toEqual(["EXPIRED", at(24 * 60)]);
    const alert = await t.db.alert.findFirstOrThrow();
    expect([alert.status, alert.resolvedReason, alert.expiredCount, alert.queuedCount]).toEqual(["RESOLVED", "expired", 1, 0]);
  });
});
