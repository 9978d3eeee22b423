import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolOf } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { resetEnvCache } from "@/lib/env";
import { ingestEvents, ingestInTransaction } from "@/lib/events/ingest";
import { DAY_MS, dayOf, partitionName, PARTITION_DAYS_AHEAD } from "@/lib/events/partitions";
import { runRetention } from "@/lib/events/retention";
import { importTrace } from "@/lib/sources/exchange-trace/import-service";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Day partitions of DeliveryEvent against real Postgres (docs/partitioning.md): client ids stay
// unique across partitions, events past the retention are refused with the reason, the retention
// drops whole partitions (no DELETE reaches an event) and prunes what is kept beside them.

let t: TestDatabase;
const NOW = new Date();
const daysAgo = (days: number, hours = 0) => new Date(NOW.getTime() - days * DAY_MS - hours * 3_600_000);
const iso = (d: Date) => d.toISOString();

beforeAll(async () => {
  delete process.env.EVENT_RETENTION_DAYS;
  resetEnvCache();
  t = await createTestDatabase();
});
afterAll(async () => { await t?.drop(); });

async function partitions(): Promise<string[]> {
  const rows = await t.db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"DeliveryEvent"'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

describe("client ids across partitions", () => {
  it("the same id a month later, in another partition, is a duplicate, through both ingest paths", async () => {
    const c = await createConnector(t.db);
    const first = buildEvent({ id: "across-1", connector: c.id, occurredAt: iso(daysAgo(40)) });
    expect(await ingestEvents(t.db, [first], { now: NOW })).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const monthLater = { ...first, occurredAt: iso(daysAgo(10)), messageId: "<other@contoso.example>" };
    expect(await ingestEvents(t.db, [monthLater, buildEvent({ id: "across-2", connector: c.id, occurredAt: iso(daysAgo(10)) })], { now: NOW }))
      .toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const inTx = await withSqlTransaction(poolOf(t.db), (tx) => ingestInTransaction(tx, [{ ...first, occurredAt: iso(daysAgo(1)) }], { now: NOW }));
    expect(inTx).toEqual({ accepted: 0, duplicates: 1, rejected: [] });

    const stored = await t.db.deliveryEvent.findMany({ where: { clientId: { in: ["across-1", "across-2"] } }, orderBy: { clientId: "asc" } });
    expect(stored.map((e) => [e.clientId, e.occurredAt.toISOString()])).toEqual([["across-1", iso(daysAgo(40))], ["across-2", iso(daysAgo(10))]]);
    const ids = await t.db.eventClientId.findMany({ where: { clientId: { in: ["across-1", "across-2"] } }, orderBy: { clientId: "asc" } });
    expect(ids.map((i) => [i.clientId, i.occurredAt.toISOString()])).toEqual([["across-1", iso(daysAgo(40))], ["across-2", iso(daysAgo(10))]]);
    const partitionsOf = await t.db.$queryRawUnsafe<{ p: string }[]>(
      `SELECT tableoid::regclass::text AS p FROM "DeliveryEvent" WHERE "clientId" IN ('across-1', 'across-2') ORDER BY "clientId"`,
    );
    expect(partitionsOf.map((r) => r.p)).toEqual([`"${partitionName(daysAgo(40))}"`, `"${partitionName(daysAgo(10))}"`]);
  });
});

describe("a re-import of a 90-day-old message trace export", () => {
  it("is exactly-once for the rows inside the retention and refuses the older ones with the reason", async () => {
    await createConnector(t.db, { name: "Outbound to Contoso on-premises", recipientDomains: ["contoso-nordic.se"] });
    // The admin center's report, written 90 days ago: rows from 89 days ago (still kept) and from 91 (past the retention).
    const [header, row] = readFileSync(path.join(process.cwd(), "tests", "fixtures", "exchange-trace", "report-garbled.csv"), "utf8").split("\n");
    const rows = [89.9, 89.5, 89.1, 91].map((days, i) => row!
      .replace("2026-11-27T11:00:00.0000000Z", daysAgo(days).toISOString().replace("Z", "0000Z"))
      .replaceAll("0b5e0c6f-0000-4000-8000-000000000008", `0b5e0c6f-0000-4000-8000-00000000010${i}`));
    const file = Buffer.from([header, ...rows].join("\r\n") + "\r\n", "utf8");
    const run = () => importTrace(t.db, { name: "trace-90-days.csv", chunks: Readable.from([file]) }, { now: NOW });

    expect(await run()).toMatchObject({ rowsRead: 4, eventsMade: 3, duplicates: 0, skipped: { "too-old": 1 } });
    const before = await t.db.deliveryEvent.count({ where: { source: "exchange-trace" } });
    expect(before).toBe(3);
    expect(await run()).toMatchObject({ rowsRead: 4, eventsMade: 0, duplicates: 3, skipped: { "too-old": 1 } });
    expect(await t.db.deliveryEvent.count({ where: { source: "exchange-trace" } })).toBe(3);
    const alert = await t.db.alert.findFirstOrThrow({ where: { connector: { name: "Outbound to Contoso on-premises" } } });
    expect(alert).toMatchObject({ errorCode: "4.4.316", eventCount: 3 });
  });
});

describe("the retention at ingest", () => {
  it("refuses, per event, an event older than EVENT_RETENTION_DAYS with that reason, and one too far ahead", async () => {
    const c = await createConnector(t.db);
    const horizon = daysAgo(90);
    const result = await ingestEvents(t.db, [
      buildEvent({ id: "old-1", connector: c.id, occurredAt: iso(new Date(horizon.getTime() - 1)) }),
      buildEvent({ id: "kept-1", connector: c.id, occurredAt: iso(new Date(horizon.getTime() + 60_000)) }),
      buildEvent({ id: "ahead-1", connector: c.id, occurredAt: iso(new Date(NOW.getTime() + 2 * DAY_MS)) }),
    ], { now: NOW });
    expect(result).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, field: "occurredAt", message: `is older than the event retention of 90 days (events before ${horizon.toISOString()} are no longer kept)` },
        { index: 2, field: "occurredAt", message: "is in the future" },
      ],
    });
  });

  it("follows EVENT_RETENTION_DAYS", async () => {
    process.env.EVENT_RETENTION_DAYS = "30";
    resetEnvCache();
    try {
      const c = await createConnector(t.db);
      const result = await ingestEvents(t.db, [buildEvent({ connector: c.id, occurredAt: iso(daysAgo(31)) })], { now: NOW });
      expect(result.rejected).toEqual([{ index: 0, field: "occurredAt", message: expect.stringMatching(/^is older than the event retention of 30 days/) }]);
    } finally {
      delete process.env.EVENT_RETENTION_DAYS;
      resetEnvCache();
    }
  });

  it("an event on a day whose partition is missing makes the window again and is stored", async () => {
    const c = await createConnector(t.db);
    const name = partitionName(daysAgo(3));
    await t.db.$executeRawUnsafe(`DROP TABLE "${name}"`);
    expect(await partitions()).not.toContain(name);
    const result = await ingestEvents(t.db, [buildEvent({ id: "gap-1", connector: c.id, occurredAt: iso(daysAgo(3)) })], { now: NOW });
    expect(result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await partitions()).toContain(name);
  });
});

describe("the retention job", () => {
  it("drops whole partitions past the horizon without deleting one event, prunes what is kept beside them, keeps alerts and audit", async () => {
    const c = await createConnector(t.db);
    // Any DELETE that reaches an event row, through the parent or a partition, is counted here.
    await t.db.$executeRawUnsafe(`CREATE TABLE event_deletes (n int)`);
    await t.db.$executeRawUnsafe(`CREATE FUNCTION count_event_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO event_deletes VALUES (1); RETURN OLD; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER event_delete AFTER DELETE ON "DeliveryEvent" FOR EACH ROW EXECUTE FUNCTION count_event_delete()`);

    const old = Array.from({ length: 50 }, (_, i) => buildEvent({ id: `drop-${i}`, connector: c.id, occurredAt: iso(daysAgo(20, i % 5)), status: i % 2 ? "delivered" : "deferred", messageId: `<drop${i % 10}@x>`, recipient: "r@contoso.example" }));
    const kept = Array.from({ length: 5 }, (_, i) => buildEvent({ id: `keep-${i}`, connector: c.id, occurredAt: iso(daysAgo(2, i)) }));
    expect((await ingestEvents(t.db, [...old, ...kept], { now: NOW })).accepted).toBe(55);
    await t.db.queuedMessage.create({ data: { connectorId: c.id, messageId: "<rejected@x>", recipient: "x@contoso.example", state: "REJECTED", firstAttemptAt: daysAgo(20), lastAttemptAt: daysAgo(20), expiresAt: daysAgo(19), settledAt: daysAgo(20) } });
    await t.db.eventHourlyCount.create({ data: { connectorId: c.id, hour: daysAgo(500), code: "delivered", count: 3 } });
    const settledBefore = await t.db.queuedMessage.count({ where: { connectorId: c.id, settledAt: { lt: daysAgo(10) }, state: { in: ["DELIVERED", "EXPIRED", "FAILED"] } } });
    expect(settledBefore).toBeGreaterThan(0);
    const alertsBefore = await t.db.alert.count();
    const auditBefore = await t.db.auditEntry.count();

    const result = await runRetention(t.db, { now: NOW, eventDays: 10, hourlyDays: 400 });

    const horizonDay = dayOf(daysAgo(10));
    const remaining = await partitions();
    expect(remaining[0]).toBe(partitionName(horizonDay));
    expect(remaining.at(-1)).toBe(partitionName(new Date(dayOf(NOW).getTime() + PARTITION_DAYS_AHEAD * DAY_MS)));
    expect(remaining).toHaveLength(10 + 1 + PARTITION_DAYS_AHEAD);
    expect(result.dropped).toContain(partitionName(daysAgo(20)));
    expect(result.dropped).toContain(partitionName(daysAgo(90)));
    expect(await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM event_deletes`)).toEqual([{ n: 0 }]);

    expect(await t.db.deliveryEvent.count({ where: { clientId: { startsWith: "drop-" } } })).toBe(0);
    expect(await t.db.deliveryEvent.count({ where: { clientId: { startsWith: "keep-" } } })).toBe(5);
    expect(await t.db.eventClientId.count({ where: { clientId: { startsWith: "drop-" } } })).toBe(0);
    expect(await t.db.eventClientId.count({ where: { clientId: { startsWith: "keep-" } } })).toBe(5);
    expect(result.deleted.clientIds).toBeGreaterThanOrEqual(50);
    expect(await t.db.queuedMessage.count({ where: { connectorId: c.id, settledAt: { lt: daysAgo(10) }, state: { in: ["DELIVERED", "EXPIRED", "FAILED"] } } })).toBe(0);
    expect(result.deleted.settledMessages).toBeGreaterThanOrEqual(settledBefore);
    expect(await t.db.queuedMessage.count({ where: { messageId: "<rejected@x>" } })).toBe(1);
    expect(await t.db.traceMessage.count({ where: { connectorId: c.id, lastAttemptAt: { lt: daysAgo(10) } } })).toBe(0);
    expect(await t.db.traceMessage.count({ where: { connectorId: c.id } })).toBe(5);
    expect(await t.db.eventHourlyCount.count({ where: { connectorId: c.id, hour: { lt: daysAgo(400) } } })).toBe(0);
    expect(await t.db.eventHourlyCount.count({ where: { connectorId: c.id, hour: { lt: daysAgo(10) } } })).toBeGreaterThan(0);
    expect(await t.db.alert.count()).toBe(alertsBefore);
    expect(await t.db.auditEntry.count()).toBe(auditBefore);

    // A second run finds nothing to do; the dropped days' events are now refused as too old.
    expect(await runRetention(t.db, { now: NOW, eventDays: 10 })).toMatchObject({ created: 0, dropped: [] });
    await t.db.$executeRawUnsafe(`DROP TRIGGER event_delete ON "DeliveryEvent"`);
  });
});
