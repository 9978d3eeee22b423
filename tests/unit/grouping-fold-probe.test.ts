import { describe, expect, it } from "vitest";
import { normalizeEvent } from "@/lib/events/normalize";
import type { EventInput } from "@/lib/events/schemas";
import { compareEvents, type FoldEvent } from "@/lib/grouping/event";
import { createFoldState, foldEvents, QUEUE_LIFETIME_MS } from "@/lib/grouping/fold";
import { buildEvent } from "@/tests/helpers/factories";

// The fold's rules for "Validate connector" observations (FoldEvent.probe): they raise, continue
// and resolve alerts like traffic does, and never queue or expire anything. The certificate
// warning is no fold event (lib/probe/cert-warning.ts keeps it), so the fold treats every code alike.

const T0 = Date.parse("2026-11-27T00:00:00Z");
const at = (minute: number) => new Date(T0 + minute * 60_000);
const mail = (minute: number, over: Partial<EventInput> = {}) =>
  normalizeEvent(buildEvent({ occurredAt: at(minute).toISOString(), recipient: "bo@contoso.example", ...over }));

/** A probe observation as lib/probe/observations.ts makes it: no client id, no recipient, its own message id. */
function probe(minute: number, outcome: "failed" | "passed", code: string | null = outcome === "failed" ? "4.4.316" : null): FoldEvent {
  return {
    clientId: null,
    occurredAt: at(minute),
    messageId: `probe:${minute}`,
    sender: null,
    recipient: null,
    recipientDomain: null,
    status: outcome === "failed" ? "DEFERRED" : "DELIVERED",
    smtpStatus: outcome === "failed" ? 450 : null,
    errorCode: code,
    errorDetails: outcome === "failed" ? `Validate connector, connect step: ${code} at ${minute}` : null,
    destination: outcome === "failed" ? "mail.lab.test:25" : null,
    probe: true,
  };
}

function fold(events: FoldEvent[], untilMinute = 0) {
  const state = createFoldState({ alerts: [], lastByCode: new Map(), messages: [], clock: null });
  foldEvents(state, [...events].sort(compareEvents), at(untilMinute));
  return { state, alerts: [...state.alerts.values()], messages: [...state.messages.values()] };
}

describe("probe failures", () => {
  it("open an alert of their code with no message, nothing queued and nothing expired", () => {
    const { alerts, messages } = fold([probe(0, "failed")], 3 * 24 * 60);
    expect(messages).toEqual([]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      errorCode: "4.4.316", eventCount: 1, messageCount: 0, queuedCount: 0, peakQueuedCount: 0, expiredCount: 0, failedCount: 0,
      longestWaitSeconds: 0, affectedDomains: [], firstSeenAt: at(0), lastSeenAt: at(0), latestDestination: "mail.lab.test:25",
      latestDetails: "Validate connector, connect step: 4.4.316 at 0", resolvedAt: null,
    });
  });

  it("continue the open alert of the same code: events grow, messages do not", () => {
    const { alerts } = fold([mail(0, { messageId: "a" }), probe(5, "failed"), probe(20, "failed")]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ errorCode: "4.4.316", eventCount: 3, messageCount: 1, queuedCount: 1, lastSeenAt: at(20), resolvedAt: null });
  });

  it("cancel a recovery like a failure of traffic does", () => {
    const { alerts } = fold([mail(0, { messageId: "a" }), mail(5, { messageId: "z", status: "delivered" }), probe(6, "failed")]);
    expect(alerts[0]).toMatchObject({ recoveredAt: null, resolvedAt: null, eventCount: 2 });
  });

  it("of another code open an alert of their own", () => {
    const { alerts } = fold([mail(0, { messageId: "a" }), probe(5, "failed", "4.4.318")]);
    expect(alerts.map((a) => [a.errorCode, a.eventCount, a.messageCount])).toEqual([["4.4.316", 1, 1], ["4.4.318", 1, 0]]);
  });
});

describe("probe passes", () => {
  it("resolve an alert without messages at once (reason probe)", () => {
    const { alerts } = fold([probe(0, "failed"), probe(15, "passed")]);
    expect(alerts[0]).toMatchObject({ recoveredAt: at(15), resolvedAt: at(15), resolvedReason: "probe" });
  });

  it("do not resolve an alert with queued messages; it resolves when they are delivered", () => {
    const before = fold([mail(0, { messageId: "a" }), probe(15, "passed")]);
    expect(before.alerts[0]).toMatchObject({ recoveredAt: at(15), resolvedAt: null, queuedCount: 1 });
    const after = fold([mail(0, { messageId: "a" }), probe(15, "passed"), mail(30, { messageId: "a", status: "delivered" })]);
    expect(after.alerts[0]).toMatchObject({ recoveredAt: at(15), resolvedAt: at(30), resolvedReason: "delivered", queuedCount: 0 });
  });

  it("do not resolve an alert with queued messages; it resolves when they expire", () => {
    const { alerts, messages } = fold([mail(0, { messageId: "a" }), probe(15, "passed")], 24 * 60 + 1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ state: "EXPIRED" });
    expect(alerts[0]).toMatchObject({ resolvedAt: new Date(T0 + QUEUE_LIFETIME_MS), resolvedReason: "expired", expiredCount: 1 });
  });

  it("resolve every open alert without queued messages, whatever its code (reason probe)", () => {
    const { alerts } = fold([probe(0, "failed"), probe(3, "failed", "4.4.318"), probe(6, "failed", "4.7.320"), probe(9, "failed", "unknown"), probe(15, "passed")]);
    expect(alerts.map((a) => [a.errorCode, a.recoveredAt, a.resolvedAt, a.resolvedReason])).toEqual([
      ["4.4.316", at(15), at(15), "probe"], ["4.4.318", at(15), at(15), "probe"], ["4.7.320", at(15), at(15), "probe"], ["unknown", at(15), at(15), "probe"],
    ]);
  });

  it("resolve the alerts without queued messages and only recover the one that still has some", () => {
    const { alerts } = fold([mail(0, { messageId: "a" }), probe(5, "failed", "4.4.318"), probe(15, "passed")]);
    expect(alerts.map((a) => [a.errorCode, a.recoveredAt, a.resolvedAt, a.resolvedReason])).toEqual([
      ["4.4.316", at(15), null, null], ["4.4.318", at(15), at(15), "probe"],
    ]);
  });

  it("at the instant of a failure recover nothing of that failure", () => {
    const { alerts } = fold([probe(0, "failed"), probe(15, "failed", "4.4.318"), probe(15, "passed")]);
    expect(alerts.map((a) => [a.errorCode, a.resolvedAt])).toEqual([["4.4.316", at(15)], ["4.4.318", null]]);
  });

  it("before the failure recover nothing", () => {
    const { alerts } = fold([probe(0, "passed"), probe(5, "failed")]);
    expect(alerts[0]).toMatchObject({ recoveredAt: null, resolvedAt: null });
  });
});

it("probes never queue or expire anything, whatever they say and however long the clock runs", () => {
  const events = [
    probe(0, "failed"), probe(1, "failed", "4.4.318"), probe(2, "failed", "4.7.320"), probe(3, "passed"),
    probe(4, "failed", "4.4.318"), probe(5, "failed", "unknown"),
  ];
  const { alerts, messages, state } = fold(events, 5 * 24 * 60);
  expect(messages).toEqual([]);
  expect(state.expiryQueue.popDue(at(10 * 24 * 60))).toBeUndefined();
  for (const alert of alerts) expect(alert).toMatchObject({ messageCount: 0, queuedCount: 0, expiredCount: 0, failedCount: 0, peakQueuedCount: 0 });
});
