import { describe, expect, it } from "vitest";
import { normalizeEvent } from "@/lib/events/normalize";
import type { EventInput } from "@/lib/events/schemas";
import { alertSeverity, createFoldState, foldEvents } from "@/lib/grouping/fold";
import { severityOf } from "@/lib/grouping/severity";
import { buildEvent } from "@/tests/helpers/factories";

const T = { highQueued: 3, highWaitMs: 60 * 60_000 };
const T0 = Date.parse("2026-11-27T00:00:00Z");
const ev = (minute: number, over: Partial<EventInput> = {}) =>
  normalizeEvent(buildEvent({ occurredAt: new Date(T0 + minute * 60_000).toISOString(), recipient: "bo@contoso.example", ...over }));

function fold(events: ReturnType<typeof ev>[], untilMinute?: number) {
  const state = createFoldState({ alerts: [], lastByCode: new Map(), messages: [], clock: null });
  const until = new Date(T0 + (untilMinute ?? 0) * 60_000);
  foldEvents(state, events, until);
  return { state, alerts: [...state.alerts.values()], messages: [...state.messages.values()] };
}

describe("foldEvents", () => {
  it("opens one alert per code and counts events, messages and queued", () => {
    const { alerts } = fold([ev(0, { messageId: "a" }), ev(1, { messageId: "a" }), ev(2, { messageId: "b", errorCode: "4.7.320" })]);
    expect(alerts.map((a) => [a.errorCode, a.eventCount, a.messageCount, a.queuedCount])).toEqual([["4.4.316", 2, 1, 1], ["4.7.320", 1, 1, 1]]);
  });

  it("needs a delivery after the last failure and an empty queue to resolve", () => {
    const { alerts } = fold([ev(0, { messageId: "a" }), ev(5, { messageId: "z", status: "delivered" }), ev(6, { messageId: "a", status: "delivered" })]);
    expect(alerts[0]).toMatchObject({ recoveredAt: new Date(T0 + 5 * 60_000), resolvedAt: new Date(T0 + 6 * 60_000), resolvedReason: "delivered" });
  });

  it("a failure after recovery cancels it", () => {
    const { alerts } = fold([ev(0, { messageId: "a" }), ev(5, { messageId: "z", status: "delivered" }), ev(6, { messageId: "b", status: "failed" })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ recoveredAt: null, resolvedAt: null, failedCount: 1, queuedCount: 1 });
  });

  it("opens a regression linked to the resolved alert when the code returns", () => {
    const { alerts } = fold([ev(0, { messageId: "a", status: "failed" }), ev(5, { messageId: "z", status: "delivered" }), ev(9, { messageId: "b" })]);
    expect(alerts.map((a) => [a.key, a.regressionOfKey, a.resolvedAt !== null])).toEqual([["new:1", null, true], ["new:2", "new:1", false]]);
  });

  it("expires a queued message 24 h after its first attempt and records the bounce", () => {
    const { alerts, messages } = fold([ev(0, { messageId: "a" }), ev(30, { messageId: "a" }), ev(60, { messageId: "z", status: "delivered" })], 24 * 60 + 1);
    expect(messages.find((m) => m.messageId === "a")).toMatchObject({ state: "EXPIRED", ndrAt: new Date(T0 + 24 * 3600_000), attempts: 2 });
    expect(alerts[0]).toMatchObject({ expiredCount: 1, queuedCount: 0, resolvedReason: "expired", resolvedAt: new Date(T0 + 24 * 3600_000) });
    expect(alertSeverity(alerts[0]!, null, null, T)).toBe("HIGH");
  });

  it("moves a message to the alert of its latest code", () => {
    const { alerts } = fold([ev(0, { messageId: "a" }), ev(1, { messageId: "a", errorCode: "4.4.318" })]);
    expect(alerts.map((a) => [a.errorCode, a.queuedCount])).toEqual([["4.4.316", 0], ["4.4.318", 1]]);
  });
});

describe("severityOf", () => {
  const base = { peakQueuedCount: 0, longestWaitSeconds: 0, bounced: 0, currentWaitMs: null };
  it("is HIGH at the queued threshold or after an hour's wait, MEDIUM from 20 queued or any bounce, else LOW", () => {
    expect(severityOf({ ...base, peakQueuedCount: 3 }, T)).toBe("HIGH");
    expect(severityOf({ ...base, currentWaitMs: 3600_000 }, T)).toBe("HIGH");
    expect(severityOf({ ...base, longestWaitSeconds: 3600 }, T)).toBe("HIGH");
    expect(severityOf({ ...base, peakQueuedCount: 20 }, { ...T, highQueued: 200 })).toBe("MEDIUM");
    expect(severityOf({ ...base, bounced: 1 }, T)).toBe("MEDIUM");
    expect(severityOf({ ...base, peakQueuedCount: 2 }, T)).toBe("LOW");
  });
});
