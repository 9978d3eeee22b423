import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { CHECKPOINT_EVERY_MS, chainBoundaries, checkpointRecentFolds } from "@/lib/events/fold-checkpoint";
import { ingestEvents } from "@/lib/events/ingest";
import { DAY_MS } from "@/lib/events/partitions";
import type { EventInput } from "@/lib/events/schemas";
import { applyFixNow } from "@/lib/remediation/service";
import { testActor } from "@/tests/helpers/actors";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The hourly chain of fold checkpoints (docs/partitioning.md, docs/memory.md): a late event inside
// a long outage replays from the checkpoint before it, not from the outage's start, and the result
// is the same as on a database without checkpoints: alerts, queued messages, a Fix now rejection.

const HOUR = 3_600_000;
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
let plain: TestDatabase;
let chained: TestDatabase;

beforeAll(async () => {
  [plain, chained] = await Promise.all([createTestDatabase(2), createTestDatabase(2)]);
});
afterAll(async () => {
  await Promise.all([plain?.drop(), chained?.drop()]);
});

/** Three days of refusals every 20 minutes (an outage that never ends), a TLS fault that comes and goes, some deliveries. */
function outage(connector: number): EventInput[] {
  const events: EventInput[] = [];
  for (let m = 72 * 60; m >= 20; m -= 20) {
    const h = m / 60;
    events.push(buildEvent({ id: `r-${m}`, connector, occurredAt: at(h), messageId: `<r${m}@x>`, recipient: "a@contoso.example" }));
    if (m % 240 === 0) {
      events.push(buildEvent({ id: `t-${m}`, connector, occurredAt: at(h - 0.1), messageId: `<t${m}@x>`, recipient: "b@fabrikam.example", errorCode: "450 4.4.317", errorDetails: "TLS" }));
      events.push(buildEvent({ id: `d-${m}`, connector, occurredAt: at(h - 1.5), messageId: `<t${m}@x>`, recipient: "b@fabrikam.example", status: "delivered", errorCode: undefined, errorDetails: undefined }));
    }
  }
  return events;
}

async function ingestInOrder(db: Db, events: EventInput[]) {
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  for (let i = 0; i < sorted.length; i += 50) {
    const result = await ingestEvents(db, sorted.slice(i, i + 50), { now: NOW });
    expect(result.rejected).toEqual([]);
  }
}

async function foldedState(db: Db) {
  const alerts = await db.alert.findMany({ orderBy: [{ errorCode: "asc" }, { firstSeenAt: "asc" }] });
  const messages = await db.queuedMessage.findMany({ orderBy: [{ messageId: "asc" }, { recipient: "asc" }], include: { alert: true } });
  return {
    alerts: alerts.map(({ id: _id, connectorId: _c, regressionOfId, createdAt: _cr, updatedAt: _u, ...a }) => ({ ...a, regression: regressionOfId !== null })),
    messages: messages.map(({ id: _id, connectorId: _c, alertId: _a, alert, ...m }) => ({ ...m, alert: alert ? `${alert.errorCode}@${alert.firstSeenAt.toISOString()}` : null })),
  };
}

it("chain boundaries are the whole hours after the start up to the end", () => {
  const start = new Date(Date.UTC(2026, 11, 1, 10, 20));
  expect(chainBoundaries(start, new Date(Date.UTC(2026, 11, 1, 13, 0))).map((d) => d.toISOString())).toEqual([
    "2026-12-01T11:00:00.000Z", "2026-12-01T12:00:00.000Z", "2026-12-01T13:00:00.000Z",
  ]);
  expect(chainBoundaries(new Date(Date.UTC(2026, 11, 1, 11)), new Date(Date.UTC(2026, 11, 1, 11, 59)))).toEqual([]);
});

it("a late event inside an outage replays from the checkpoint before it and folds as without checkpoints", async () => {
  const [a, b] = await Promise.all([
    createConnector(plain.db, { name: "Outage", kind: "ON_PREMISES" }),
    createConnector(chained.db, { name: "Outage", kind: "ON_PREMISES" }),
  ]);
  await Promise.all([ingestInOrder(plain.db, outage(a.id)), ingestInOrder(chained.db, outage(b.id))]);
  expect(await foldedState(chained.db)).toEqual(await foldedState(plain.db));

  const first = await checkpointRecentFolds(chained.db, NOW, { retentionHorizon: new Date(NOW.getTime() - 90 * DAY_MS) });
  const checkpoints = await chained.db.foldCheckpoint.findMany({ where: { connectorId: b.id }, orderBy: { at: "asc" } });
  // 48 h back at most, whole hours, up to the lag before the clock (the last refusal, 20 minutes ago).
  expect(first.written).toBe(checkpoints.length);
  expect(checkpoints.length).toBeGreaterThanOrEqual(46);
  expect(checkpoints.every((c) => c.at.getTime() % CHECKPOINT_EVERY_MS === 0)).toBe(true);
  expect(checkpoints[0]!.at.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 48 * HOUR);
  // A second run finds nothing to do.
  expect((await checkpointRecentFolds(chained.db, NOW, { retentionHorizon: new Date(0) })).written).toBe(0);

  // A late delivery of a queued message and a late refusal of a new one, 5.5 h ago: replayed from
  // the checkpoint 6 h ago (the only rows written are those the events or the clock change).
  const early = (connector: number) => [
    buildEvent({ id: "early-1", connector, occurredAt: at(5.5), messageId: "<r480@x>", recipient: "a@contoso.example", status: "delivered", errorCode: undefined, errorDetails: undefined }),
    buildEvent({ id: "early-2", connector, occurredAt: at(5.4), messageId: "<early@x>", recipient: "e@contoso.example" }),
  ];
  expect(await ingestEvents(plain.db, early(a.id), { now: NOW })).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(await ingestEvents(chained.db, early(b.id), { now: NOW })).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(await foldedState(chained.db)).toEqual(await foldedState(plain.db));
  const afterEarly = await chained.db.foldCheckpoint.findMany({ where: { connectorId: b.id }, orderBy: { at: "asc" } });
  expect(afterEarly.at(-1)!.at.getTime()).toBeLessThanOrEqual(new Date(at(5.5)).getTime());
  expect((await checkpointRecentFolds(chained.db, NOW, { retentionHorizon: new Date(0) })).written).toBe(checkpoints.length - afterEarly.length);

  // Fix now bounces every queued message, all of them queued before the checkpoints were written (the same on both).
  const rejectedId = "<r1200@x>";
  for (const db of [plain.db, chained.db]) {
    const alert = await db.alert.findFirstOrThrow({ where: { errorCode: "4.4.316", resolvedAt: null } });
    await applyFixNow(db, { alertId: alert.id, actor: testActor("ada"), now: NOW });
    expect((await db.queuedMessage.findFirstOrThrow({ where: { messageId: rejectedId } })).state).toBe("REJECTED");
  }
  // The checkpoints that held them queued are gone; the chain writes them again, with the rejections.
  const earliest = await chained.db.queuedMessage.aggregate({ where: { connectorId: b.id, state: "REJECTED" }, _min: { firstAttemptAt: true } });
  const kept = await chained.db.foldCheckpoint.findMany({ where: { connectorId: b.id } });
  expect(kept.length).toBeLessThan(checkpoints.length);
  expect(kept.every((c) => c.at <= earliest._min.firstAttemptAt!)).toBe(true);
  // With its alert remediated and nothing queued, the connector is not busy now: the chain leaves it.
  expect((await checkpointRecentFolds(chained.db, NOW, { retentionHorizon: new Date(0) })).written).toBe(0);

  // Late: a refusal of a new message and a delivery of a queued one, 10.5 h ago.
  const late = (connector: number) => [
    buildEvent({ id: "late-1", connector, occurredAt: at(10.5), messageId: "<late@x>", recipient: "c@contoso.example" }),
    buildEvent({ id: "late-2", connector, occurredAt: at(10.4), messageId: "<r720@x>", recipient: "a@contoso.example", status: "delivered", errorCode: undefined, errorDetails: undefined }),
    buildEvent({ id: "late-3", connector, occurredAt: at(10.3), messageId: rejectedId, recipient: "a@contoso.example" }),
  ];
  expect(await ingestEvents(plain.db, late(a.id), { now: NOW })).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
  expect(await ingestEvents(chained.db, late(b.id), { now: NOW })).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

  const expected = await foldedState(plain.db);
  expect(expected.messages.find((m) => m.messageId === "<late@x>")?.state).toBe("QUEUED");
  expect(expected.messages.find((m) => m.messageId === rejectedId)?.state).toBe("REJECTED");
  expect(await foldedState(chained.db)).toEqual(expected);

  // The late refusal is queued: the connector is busy again, and the chain goes on from the checkpoints kept.
  const left = await chained.db.foldCheckpoint.count({ where: { connectorId: b.id } });
  expect(left).toBe(kept.length);
  const again = await checkpointRecentFolds(chained.db, NOW, { retentionHorizon: new Date(0) });
  expect(again.written).toBeGreaterThan(0);
  expect(await chained.db.foldCheckpoint.count({ where: { connectorId: b.id } })).toBe(left + again.written);

  // And another late event, older still, folds the same from the rewritten chain.
  const older = (connector: number) => [buildEvent({ id: "late-4", connector, occurredAt: at(30.2), messageId: "<late2@x>", recipient: "d@contoso.example" })];
  await ingestEvents(plain.db, older(a.id), { now: NOW });
  await ingestEvents(chained.db, older(b.id), { now: NOW });
  expect(await foldedState(chained.db)).toEqual(await foldedState(plain.db));
});
