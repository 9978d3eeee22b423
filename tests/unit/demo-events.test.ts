import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEMO_SEED, generateDemoEvents } from "@/lib/demo/events";
import { demoConnector } from "@/lib/demo/organisation";
import { DAY, HOUR, MINUTE } from "@/lib/demo/stories";
import type { EventInput } from "@/lib/events/schemas";
import { validateEvent } from "@/lib/events/validate";

const NOW = new Date("2026-11-27T12:30:00.000Z");
const events = generateDemoEvents({ now: NOW });
const ON_PREMISES = demoConnector("onPremises").name;
const ARCHIVE = demoConnector("archive").name;
const PAYROLL = demoConnector("payroll").name;
const LAST = lastEvents(events);

describe("generateDemoEvents", () => {
  it("is deterministic for the same seed and clock, and differs for another seed", () => {
    expect(generateDemoEvents({ now: NOW, seed: DEMO_SEED })).toEqual(events);
    expect(generateDemoEvents({ now: NOW, seed: 7 })).not.toEqual(events);
  });

  it("gives a few thousand events, every one valid against the wire schema", () => {
    expect(events.length).toBeGreaterThan(3000);
    expect(events.length).toBeLessThan(15000);
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true, event });
    expect(events.filter((e) => e.status === "delivered").length).toBeGreaterThan(2000);
  });

  it("numbers events demo-1, demo-2, … in time order, each id once", () => {
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => `demo-${i + 1}`));
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("keeps every event within the last 24 hours and none in the future", () => {
    for (const e of events) {
      const at = Date.parse(e.occurredAt);
      expect(at).toBeGreaterThan(NOW.getTime() - DAY);
      expect(at).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it("exercises every code of DOMAIN.md, an other code and permanent failures", () => {
    const codes = new Set(events.map((e) => e.errorCode).filter(Boolean));
    for (const code of ["450 4.4.312", "450 4.4.315", "450 4.4.316", "450 4.4.317", "450 4.4.318", "450 4.7.320", "451 4.4.0"]) {
      expect(codes).toContain(code);
    }
    expect(events.filter((e) => e.status === "failed").length).toBeGreaterThanOrEqual(2);
    for (const e of events.filter((x) => x.errorCode)) expect(e.errorDetails?.startsWith(e.errorCode ?? "")).toBe(true);
  });

  it("has healthy traffic on every connector", () => {
    const delivering = new Set(events.filter((e) => e.status === "delivered").map((e) => e.connector));
    expect(delivering.size).toBe(4);
  });

  it("tells the decommissioned on-premises server: hundreds of messages retried with back-off, none delivered", () => {
    const firstFailure = Math.min(...events.filter((e) => e.errorCode === "450 4.4.316").map((e) => Date.parse(e.occurredAt)));
    const after = events.filter((e) => e.connector === ON_PREMISES && Date.parse(e.occurredAt) >= firstFailure);
    expect(after.every((e) => e.status === "deferred" && e.errorCode === "450 4.4.316")).toBe(true);
    const queued = byMessage(after);
    expect(queued.size).toBeGreaterThanOrEqual(200);
    expect(NOW.getTime() - firstFailure).toBeGreaterThan(6 * HOUR);
    const oldest = [...queued.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    const gaps = oldest.slice(1).map((e, i) => Date.parse(e.occurredAt) - Date.parse(oldest[i]?.occurredAt ?? ""));
    expect(gaps.length).toBeGreaterThan(5);
    expect(gaps.slice(0, 4).map((g) => Math.floor(g / MINUTE))).toEqual([5, 10, 20, 40]);
  });

  it("tells the expired partner certificate: the archive's messages stay queued with 4.7.320", () => {
    const failing = byMessage(events.filter((e) => e.errorCode === "450 4.7.320"));
    expect(failing.size).toBeGreaterThan(0);
    for (const id of failing.keys()) expect(LAST.get(id)?.status).toBe("deferred");
    expect(new Set(events.filter((e) => e.errorCode === "450 4.7.320").map((e) => e.connector))).toEqual(new Set([ARCHIVE]));
  });

  it("holds the stories' promises at any time of day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DAY / MINUTE - 1 }), (minute) => {
        const now = new Date(Date.parse("2026-11-27T00:00:00Z") + minute * MINUTE);
        const day = generateDemoEvents({ now });
        const last = lastEvents(day);
        expect(countQueued(last, "450 4.4.316")).toBeGreaterThanOrEqual(200);
        expect(countQueued(last, "450 4.7.320")).toBeGreaterThan(0);
        // The DNS outage recovered: every message it delayed was delivered, and the partner delivers since.
        const dns = day.filter((e) => e.errorCode === "450 4.4.312");
        expect(dns.length).toBeGreaterThan(0);
        for (const e of dns) expect(last.get(e.messageId)?.status).toBe("delivered");
        const lastDns = Math.max(...dns.map((e) => Date.parse(e.occurredAt)));
        expect(day.some((e) => e.connector === PAYROLL && e.status === "delivered" && Date.parse(e.occurredAt) > lastDns)).toBe(true);
        for (const code of ["450 4.4.315", "450 4.4.318"]) {
          for (const e of day.filter((x) => x.errorCode === code)) expect(last.get(e.messageId)?.status).toBe("delivered");
        }
        expect(Date.parse(day.at(-1)?.occurredAt ?? "")).toBeLessThanOrEqual(now.getTime());
        expect(Date.parse(day[0]?.occurredAt ?? "")).toBeGreaterThan(now.getTime() - DAY);
      }),
      { numRuns: 6, seed: 42 },
    );
  });
});

function byMessage(list: readonly EventInput[]): Map<string, EventInput[]> {
  const map = new Map<string, EventInput[]>();
  for (const e of list) map.set(e.messageId, [...(map.get(e.messageId) ?? []), e]);
  return map;
}

function lastEvents(list: readonly EventInput[]): Map<string, EventInput> {
  return new Map(list.map((e) => [e.messageId, e]));
}

function countQueued(last: ReadonlyMap<string, EventInput>, code: string): number {
  return [...last.values()].filter((e) => e.status === "deferred" && e.errorCode === code).length;
}
