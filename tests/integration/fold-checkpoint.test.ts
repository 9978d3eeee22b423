import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { DAY_MS, retentionHorizon } from "@/lib/events/partitions";
import { runRetention } from "@/lib/events/retention";
import type { EventInput } from "@/lib/events/schemas";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The grouping's replay never needs a dropped partition (docs/partitioning.md): an alert open for
// longer than the retention makes the last quiet point older than the horizon; the retention keeps
// the fold's state at the partition boundary, and a late event then folds exactly as on a database
// that kept every event.

const HOUR = 3_600_000;
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
let kept: TestDatabase;
let retained: TestDatabase;

beforeAll(async () => {
  [kept, retained] = await Promise.all([createTestDatabase(2), createTestDatabase(2)]);
});
afterAll(async () => {
  await Promise.all([kept?.drop(), retained?.drop()]);
});

/** Six days of a connector that never recovers for long: a refusal every 6 h, a TLS fault that comes and goes, some messages delivered later. */
function history(connector: number): EventInput[] {
  const events: EventInput[] = [];
  for (let h = 6 * 24; h >= 24; h -= 6) {
    events.push(buildEvent({ id: `r-${h}`, connector, occurredAt: at(h), messageId: `<r${h}@x>`, recipient: "a@contoso.example" }));
    if (h % 24 === 0) {
      events.push(buildEvent({ id: `t-${h}`, connector, occurredAt: at(h - 1), messageId: `<t${h}@x>`, recipient: "b@fabrikam.example", errorCode: "450 4.4.317", errorDetails: "TLS" }));
      events.push(buildEvent({ id: `d-${h}`, connector, occurredAt: at(h - 3), messageId: `<t${h}@x>`, recipient: "b@fabrikam.example", status: "delivered", errorCode: undefined, errorDetails: undefined }));
    }
  }
  return events;
}

async function ingestDayByDay(db: Db, connector: number) {
  const events = history(connector);
  for (let day = 6; day >= 1; day--) {
    const batch = events.filter((e) => e.occurredAt > at(day * 24 + 1) && e.occurredAt <= at((day - 1) * 24 + 1));
    const result = await ingestEvents(db, batch, { now: new Date(NOW.getTime() - (day - 1) * DAY_MS) });
    expect(result.rejected).toEqual([]);
  }
}

async function foldedState(db: Db, since: Date) {
  const alerts = await db.alert.findMany({ orderBy: [{ errorCode: "asc" }, { firstSeenAt: "asc" }] });
  const messages = await db.queuedMessage.findMany({ where: { OR: [{ settledAt: null }, { settledAt: { gte: since } }] }, orderBy: { messageId: "asc" }, include: { alert: true } });
  return {
    alerts: alerts.map(({ id: _id, connectorId: _c, regressionOfId, createdAt: _cr, updatedAt: _u, ...a }) => ({ ...a, regression: regressionOfId !== null })),
    messages: messages.map(({ id: _id, connectorId: _c, alertId: _a, alert, ...m }) => ({ ...m, alert: alert ? `${alert.errorCode}@${alert.firstSeenAt.toISOString()}` : null })),
  };
}

it("a late event whose quiet point is older than the retention folds as if every event were kept", async () => {
  const [a, b] = await Promise.all([createConnector(kept.db, { name: "Checkpointed" }), createConnector(retained.db, { name: "Checkpointed" })]);
  await Promise.all([ingestDayByDay(kept.db, a.id), ingestDayByDay(retained.db, b.id)]);
  expect(await foldedState(retained.db, new Date(0))).toEqual(await foldedState(kept.db, new Date(0)));

  const result = await runRetention(retained.db, { now: NOW, eventDays: 3 });
  expect(result.dropped.length).toBeGreaterThan(3);
  const checkpoints = await retained.db.foldCheckpoint.findMany({ where: { connectorId: b.id } });
  expect(checkpoints.length).toBeGreaterThan(0);
  const horizon = retentionHorizon(NOW, 3);
  expect(await retained.db.deliveryEvent.count({ where: { occurredAt: { lt: new Date(horizon.getTime() - DAY_MS) } } })).toBe(0);

  // Late: a refusal and a delivery two days ago, older than both connectors' clocks; its replay
  // would start at the first refusal, six days ago, whose partition is gone.
  const late = (connector: number) => [
    buildEvent({ id: "late-1", connector, occurredAt: at(50), messageId: "<late@x>", recipient: "c@contoso.example" }),
    buildEvent({ id: "late-2", connector, occurredAt: at(49), messageId: "<late@x>", recipient: "c@contoso.example", status: "delivered", errorCode: undefined, errorDetails: undefined }),
  ];
  expect(await ingestEvents(kept.db, late(a.id), { now: NOW })).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(await ingestEvents(retained.db, late(b.id), { now: NOW })).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

  const expected = await foldedState(kept.db, horizon);
  expect(expected.alerts.some((x) => x.resolvedAt === null && x.firstSeenAt < horizon)).toBe(true);
  expect(await foldedState(retained.db, horizon)).toEqual(expected);
});
