import { describe, expect, it } from "vitest";
import {
  hourlyCounts, metaOf, nextStatus, planFoldWrites, toFoldAlert, withDates, type AlertMeta, type AlertRow, type FoldResult, type StoredEvent,
} from "@/lib/events/fold-rows";
import { normalizeEvent } from "@/lib/events/normalize";
import { createFoldState, type FoldAlert } from "@/lib/grouping/fold";
import { buildEvent } from "@/tests/helpers/factories";

const T = { highQueued: 200, highWaitMs: 3_600_000 };
const NOW = new Date("2026-11-27T12:00:00Z");

describe("hourlyCounts", () => {
  it("counts events per connector, UTC hour and code, deliveries under 'delivered'", () => {
    const at = (iso: string, connectorId: number, status = "deferred") =>
      ({ ...normalizeEvent(buildEvent({ occurredAt: iso, status: status as "deferred" })), connectorId }) as StoredEvent;
    const counts = hourlyCounts([
      at("2026-11-27T10:00:00Z", 1), at("2026-11-27T10:59:59Z", 1), at("2026-11-27T11:00:00Z", 1),
      at("2026-11-27T10:10:00Z", 2), at("2026-11-27T10:20:00Z", 1, "delivered"),
    ]);
    const hour = (iso: string) => new Date(iso).getTime();
    expect(counts).toEqual(expect.arrayContaining([
      { connectorId: 1, hour: hour("2026-11-27T10:00:00Z"), code: "4.4.316", count: 2 },
      { connectorId: 1, hour: hour("2026-11-27T11:00:00Z"), code: "4.4.316", count: 1 },
      { connectorId: 2, hour: hour("2026-11-27T10:00:00Z"), code: "4.4.316", count: 1 },
      { connectorId: 1, hour: hour("2026-11-27T10:00:00Z"), code: "delivered", count: 1 },
    ]));
    expect(counts).toHaveLength(4);
  });

  it("leaves probe events out: they are not the connector's traffic", () => {
    const at = (status: "deferred" | "delivered", probe: boolean) =>
      ({ ...normalizeEvent(buildEvent({ occurredAt: "2026-11-27T10:00:00Z", status })), connectorId: 1, probe }) as StoredEvent;
    expect(hourlyCounts([at("deferred", true), at("delivered", true)])).toEqual([]);
    expect(hourlyCounts([at("deferred", true), at("deferred", false), at("delivered", true)])).toEqual([
      { connectorId: 1, hour: new Date("2026-11-27T10:00:00Z").getTime(), code: "4.4.316", count: 1 },
    ]);
  });
});

describe("nextStatus", () => {
  it("resolves with the events, keeps a dismissal, and reopens a resolved alert that fails again", () => {
    const resolved = { resolvedAt: NOW };
    const open = { resolvedAt: null };
    expect(nextStatus("ACTIVE", resolved)).toBe("RESOLVED");
    expect(nextStatus("SNOOZED", resolved)).toBe("RESOLVED");
    expect(nextStatus("DISMISSED", resolved)).toBe("DISMISSED");
    expect(nextStatus("RESOLVED", open)).toBe("ACTIVE");
    expect(nextStatus("INVESTIGATING", open)).toBe("INVESTIGATING");
    expect(nextStatus("SNOOZED", open)).toBe("SNOOZED");
  });
});

describe("rows to the fold and back", () => {
  it("toFoldAlert keeps the columns and makes a key of the id; metaOf keeps what admins set", () => {
    const row = alertRow({ id: 7, regressionOfId: 3, status: "SNOOZED", snoozedQueued: 4, snoozedUntil: NOW });
    expect(toFoldAlert(row)).toMatchObject({ key: "db:7", id: 7, regressionOfKey: "db:3", queuedCount: 5, dirty: false });
    expect(metaOf([row]).get(7)).toEqual({ status: "SNOOZED", snoozedUntil: NOW, snoozedQueued: 4, remediatedAt: null, resolvedAt: null, resolvedReason: null });
  });

  it("withDates turns the named ISO strings of a json_agg row back into dates and leaves the rest", () => {
    const row = withDates<{ a: Date; b: string; c: null }>({ a: "2026-11-27T12:00:00.000Z", b: "text", c: null }, ["a", "c"]);
    expect(row).toEqual({ a: NOW, b: "text", c: null });
  });
});

describe("planFoldWrites", () => {
  it("writes open alerts with severity from the oldest queued message, changed messages and the clock", () => {
    const writes = planFoldWrites([result(foldAlert({ id: 1 }), meta({ status: "ACTIVE" }), new Date("2026-11-27T10:30:00Z"))], T, NOW);
    expect(writes.alerts).toEqual([expect.objectContaining({ id: 1, status: "ACTIVE", severity: "HIGH", woken: false, oldestQueuedAt: new Date("2026-11-27T10:30:00Z") })]);
    expect(writes.clocks).toEqual([{ connectorId: 1, clock: NOW }]);
    expect(writes.wakes).toEqual([]);
  });

  it("wakes a snoozed alert whose queue grew past the snooze, with why, and clears the snooze", () => {
    const writes = planFoldWrites([result(foldAlert({ id: 2, queuedCount: 6 }), meta({ status: "SNOOZED", snoozedQueued: 5, snoozedUntil: new Date("2026-11-28T00:00:00Z") }))], T, NOW);
    expect(writes.alerts[0]).toMatchObject({ id: 2, status: "ACTIVE", woken: true });
    expect(writes.wakes).toEqual([{
      action: "alert.wake", targetType: "alert", targetId: 2,
      before: { status: "SNOOZED", snoozedUntil: "2026-11-28T00:00:00.000Z", snoozedQueued: 5 },
      after: { status: "ACTIVE", snoozedUntil: null, snoozedQueued: null, why: "worse" },
      note: "More messages queued (6) than when snoozed (5)",
    }]);
  });

  it("wakes a snoozed alert whose time ran out, and leaves one whose snooze holds", () => {
    const ran = planFoldWrites([result(foldAlert({ id: 3 }), meta({ status: "SNOOZED", snoozedQueued: 5, snoozedUntil: new Date("2026-11-27T11:00:00Z") }))], T, NOW);
    expect(ran.alerts[0]).toMatchObject({ status: "ACTIVE", woken: true });
    expect(ran.wakes.map((w) => w.note)).toEqual(["Snooze ended"]);
    const holds = planFoldWrites([result(foldAlert({ id: 4 }), meta({ status: "SNOOZED", snoozedQueued: 5, snoozedUntil: new Date("2026-11-28T00:00:00Z") }))], T, NOW);
    expect(holds.alerts[0]).toMatchObject({ status: "SNOOZED", woken: false });
    expect(holds.wakes).toEqual([]);
  });

  it("a snoozed alert the events resolve is resolved, not woken", () => {
    const writes = planFoldWrites([result(foldAlert({ id: 5, queuedCount: 0, resolvedAt: NOW, resolvedReason: "delivered", dirty: true }), meta({ status: "SNOOZED", snoozedQueued: 0, snoozedUntil: new Date("2026-11-27T11:00:00Z") }))], T, NOW);
    expect(writes.alerts[0]).toMatchObject({ status: "RESOLVED", woken: false });
    expect(writes.wakes).toEqual([]);
  });
});

function foldAlert(overrides: Partial<FoldAlert> & { id: number }): FoldAlert {
  return { ...toFoldAlert(alertRow({ id: overrides.id })), ...overrides, key: `db:${overrides.id}` };
}

function meta(overrides: Partial<AlertMeta>): AlertMeta {
  return { status: "ACTIVE", snoozedUntil: null, snoozedQueued: null, remediatedAt: null, resolvedAt: null, resolvedReason: null, ...overrides };
}

function result(alert: FoldAlert, m: AlertMeta, oldestUnseen?: Date): FoldResult {
  const state = createFoldState({ alerts: [alert], lastByCode: new Map(), messages: [], clock: NOW });
  return { connectorId: 1, state, meta: new Map([[alert.id!, m]]), oldestUnseen: new Map(oldestUnseen ? [[alert.id!, oldestUnseen]] : []) };
}

function alertRow(overrides: Partial<AlertRow> & { id: number }): AlertRow {
  const at = new Date("2026-11-27T10:00:00Z");
  return {
    connectorId: 1, errorCode: "4.4.316", severity: "LOW", status: "ACTIVE", firstSeenAt: at, lastSeenAt: at, eventCount: 5,
    messageCount: 5, queuedCount: 5, expiredCount: 0, failedCount: 0, peakQueuedCount: 5, longestWaitSeconds: 0, oldestQueuedAt: at,
    affectedDomains: ["contoso.example"], latestDetails: null, latestDestination: null, latestEventAt: at, recoveredAt: null,
    resolvedAt: null, resolvedReason: null, regressionOfId: null, acknowledgedBy: null, acknowledgedAt: null, dismissedBy: null,
    dismissedReason: null, snoozedUntil: null, snoozedQueued: null, remediatedAt: null, createdAt: at, updatedAt: at,
    ...overrides,
  } as AlertRow;
}
