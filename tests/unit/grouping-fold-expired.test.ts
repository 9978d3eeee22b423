import { describe, expect, it } from "vitest";
import { normalizeEvent } from "@/lib/events/normalize";
import type { EventInput } from "@/lib/events/schemas";
import { compareEvents } from "@/lib/grouping/event";
import { createFoldState, foldEvents, QUEUE_LIFETIME_MS } from "@/lib/grouping/fold";
import { buildEvent } from "@/tests/helpers/factories";

// An MTA's own expiry (Postfix's status=expired) and the connector's queue lifetime.
const T0 = Date.parse("2026-11-27T00:00:00Z");
const MINUTE = 60_000;
const ev = (minute: number, over: Partial<EventInput> = {}) =>
  normalizeEvent(buildEvent({ occurredAt: new Date(T0 + minute * MINUTE).toISOString(), recipient: "bo@contoso.example", ...over }));

function fold(events: ReturnType<typeof ev>[], untilMinute: number, lifetimeMs?: number) {
  const state = createFoldState({ alerts: [], lastByCode: new Map(), messages: [], clock: null, lifetimeMs });
  foldEvents(state, [...events].sort(compareEvents), new Date(T0 + untilMinute * MINUTE));
  return { alerts: [...state.alerts.values()], messages: [...state.messages.values()] };
}

describe("an MTA's expiry", () => {
  it("expires a queued message at the bounce's time and counts it as expired on its alert, as the own expiry does", () => {
    const { alerts, messages } = fold([ev(0, { messageId: "a" }), ev(30, { messageId: "a" }), ev(90, { messageId: "a", status: "expired" })], 100);
    expect(messages[0]).toMatchObject({ state: "EXPIRED", settledAt: new Date(T0 + 90 * MINUTE), ndrAt: new Date(T0 + 90 * MINUTE), attempts: 2 });
    expect(alerts[0]).toMatchObject({ eventCount: 2, queuedCount: 0, expiredCount: 1, longestWaitSeconds: 90 * 60, resolvedAt: null });
  });

  it("neither counts as a failure nor cancels a recovery, and resolves a recovered alert like the own expiry", () => {
    const { alerts } = fold(
      [ev(0, { messageId: "a" }), ev(10, { messageId: "z", status: "delivered" }), ev(20, { messageId: "a", status: "expired" })],
      30,
    );
    expect(alerts[0]).toMatchObject({ eventCount: 1, recoveredAt: new Date(T0 + 10 * MINUTE), resolvedAt: new Date(T0 + 20 * MINUTE), resolvedReason: "expired" });
  });

  it("expires a message first seen in its expiry into the alert of its last deferral's code", () => {
    const { alerts, messages } = fold([ev(5, { messageId: "b", status: "expired", errorCode: "4.4.315", errorDetails: "connect to x: Connection timed out" })], 10);
    expect(messages[0]).toMatchObject({ state: "EXPIRED", errorCode: "4.4.315" });
    expect(alerts[0]).toMatchObject({ errorCode: "4.4.315", messageCount: 1, queuedCount: 0, expiredCount: 1, latestDetails: "connect to x: Connection timed out" });
  });

  it("leaves a settled message settled", () => {
    const { alerts, messages } = fold([ev(0, { messageId: "a" }), ev(5, { messageId: "a", status: "delivered" }), ev(9, { messageId: "a", status: "expired" })], 10);
    expect(messages[0]).toMatchObject({ state: "DELIVERED" });
    expect(alerts[0]).toMatchObject({ expiredCount: 0, resolvedReason: "delivered" });
  });

  it("sorts after a deferral of the same moment", () => {
    const { messages } = fold([ev(7, { messageId: "a", status: "expired" }), ev(7, { messageId: "a" })], 8);
    expect(messages[0]).toMatchObject({ state: "EXPIRED", attempts: 1 });
  });
});

describe("the connector's queue lifetime", () => {
  it("is the hosted service's 24 hours by default", () => {
    const { messages } = fold([ev(0, { messageId: "a" })], 24 * 60);
    expect(messages[0]).toMatchObject({ state: "EXPIRED", expiresAt: new Date(T0 + QUEUE_LIFETIME_MS) });
  });

  it("never expires a message its MTA still retries: five days for a Postfix", () => {
    const fiveDays = 5 * 24 * 60 * MINUTE;
    const early = fold([ev(0, { messageId: "a" })], 24 * 60 + 1, fiveDays);
    expect(early.messages[0]).toMatchObject({ state: "QUEUED", expiresAt: new Date(T0 + fiveDays) });
    const late = fold([ev(0, { messageId: "a" })], 5 * 24 * 60, fiveDays);
    expect(late.messages[0]).toMatchObject({ state: "EXPIRED", settledAt: new Date(T0 + fiveDays) });
    expect(late.alerts[0]).toMatchObject({ expiredCount: 1, longestWaitSeconds: fiveDays / 1000 });
  });
});
