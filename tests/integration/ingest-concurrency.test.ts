import { afterAll, beforeAll, expect, it } from "vitest";
import { poolOf } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(12); });
afterAll(async () => { await t?.drop(); });

it("never loses a count when 8 writers hit the same alert at once", async () => {
  const connector = await createConnector(t.db);
  const writers = 8;
  const perWriter = 150;
  const base = Date.parse("2026-11-27T06:00:00.000Z");
  const batches = Array.from({ length: writers }, (_, w) =>
    Array.from({ length: perWriter }, (_, i) =>
      buildEvent({
        id: `w${w}-${i}`,
        connector: connector.id,
        // Interleaved times: every writer's batch overlaps the others', forcing replays.
        occurredAt: new Date(base + (i * writers + w) * 1000).toISOString(),
        messageId: `<w${w}-${i}@contoso.example>`,
      }),
    ),
  );
  // The same events again from a 9th writer: each must be stored once.
  const results = await Promise.all([...batches, batches[0]!].map((b) => ingestEvents(t.db, b, { now: new Date(base + 86_400_000) })));
  expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(writers * perWriter);
  expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(perWriter);

  const alerts = await t.db.alert.findMany();
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ eventCount: writers * perWriter, messageCount: writers * perWriter, queuedCount: writers * perWriter });
  expect(await t.db.queuedMessage.count({ where: { state: "QUEUED" } })).toBe(writers * perWriter);
  expect(await t.db.deliveryEvent.count()).toBe(writers * perWriter);
});

it("stores a client id once when another batch stores it between our look and our insert", async () => {
  const [a, b] = [await createConnector(t.db), await createConnector(t.db)];
  const at = "2026-11-27T08:00:00.000Z";
  // A second session stores the id "race" for connector a and holds its transaction open.
  const other = await poolOf(t.db).connect();
  try {
    await other.query("BEGIN");
    // As ingest stores an event: its client id in EventClientId, in the same statement.
    await other.query(
      `WITH ids AS (INSERT INTO "EventClientId" ("clientId","occurredAt") VALUES ('race', $1))
       INSERT INTO "DeliveryEvent" ("clientId","occurredAt","connectorId","messageId","status") VALUES ('race', $1, $2, '<race@x>', 'DELIVERED')`,
      [at, a.id],
    );
    // Our batch does not see the uncommitted row, so its insert waits for that transaction.
    const pending = ingestEvents(t.db, [
      buildEvent({ id: "race", connector: b.id, occurredAt: at, messageId: "<race@x>" }),
      buildEvent({ id: "race-2", connector: b.id, occurredAt: at, messageId: "<race-2@x>" }),
    ], { now: new Date("2026-11-28T00:00:00.000Z") });
    await waitForLockWait(t.db);
    await other.query("COMMIT");
    // The insert then fails on the unique client id; the batch is tried again and sees it.
    expect(await pending).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  } finally {
    other.release();
  }
  const stored = await t.db.deliveryEvent.findMany({ where: { clientId: { in: ["race", "race-2"] } }, orderBy: { clientId: "asc" } });
  expect(stored.map((e) => [e.clientId, e.connectorId])).toEqual([["race", a.id], ["race-2", b.id]]);
  const alert = await t.db.alert.findFirstOrThrow({ where: { connectorId: b.id } });
  expect(alert).toMatchObject({ eventCount: 1, queuedCount: 1 });
});

/** Until some session waits on a lock (our insert, on the other session's uncommitted id). */
async function waitForLockWait(db: TestDatabase["db"]) {
  for (let i = 0; i < 200; i++) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row!.n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no session started waiting on the lock");
}

it("keeps an admin's acknowledgement committed while the fold of a batch runs", async () => {
  const connector = await createConnector(t.db);
  const at = (m: number) => new Date(Date.parse("2026-11-27T09:00:00.000Z") + m * 60_000).toISOString();
  const now = new Date("2026-11-27T12:00:00.000Z");
  await ingestEvents(t.db, [buildEvent({ connector: connector.id, occurredAt: at(0) })], { now });
  const alert = await t.db.alert.findFirstOrThrow({ where: { connectorId: connector.id } });
  // An admin acknowledges the alert in a transaction of their own, holding its row lock.
  const admin = await poolOf(t.db).connect();
  try {
    await admin.query("BEGIN");
    await admin.query(`SELECT id FROM "Alert" WHERE id = $1 FOR UPDATE`, [alert.id]);
    const pending = ingestEvents(t.db, [buildEvent({ connector: connector.id, occurredAt: at(1) })], { now });
    await waitForLockWait(t.db);
    await admin.query(`UPDATE "Alert" SET status = 'INVESTIGATING', "acknowledgedBy" = 'ada' WHERE id = $1`, [alert.id]);
    await admin.query("COMMIT");
    expect(await pending).toMatchObject({ accepted: 1 });
  } finally {
    admin.release();
  }
  expect(await t.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: "INVESTIGATING", acknowledgedBy: "ada", eventCount: 2 });
});
