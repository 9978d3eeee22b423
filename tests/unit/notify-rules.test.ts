import { describe, expect, it } from "vitest";
import { GIVE_UP_AFTER_MS, nextAttemptAt } from "@/lib/notify/retry";
import { matchingRules, openWindow, overDailyLimit, quietReason, type Rule } from "@/lib/notify/rules";
import { mergeTransitions, type TransitionRow } from "@/lib/notify/transitions";

const rule = (over: Partial<Rule> = {}): Rule => ({
  id: 1, channelId: 1, triggers: [], codes: [], connectorIds: [], severities: [], dailyLimit: 10, groupMinutes: 5, timeZone: "UTC", ...over,
});
const change = { trigger: "opened" as const, code: "4.4.316", connectorId: 3, severity: "HIGH" };
const T = new Date("2026-12-01T12:00:00Z");

describe("rules", () => {
  it("matches on triggers, codes, connectors and severities; an empty list is any", () => {
    const rules = [
      rule({ id: 1 }),
      rule({ id: 2, triggers: ["resolved"] }),
      rule({ id: 3, codes: ["4.4.316", "4.7.320"], connectorIds: [3] }),
      rule({ id: 4, connectorIds: [4] }),
      rule({ id: 5, severities: ["LOW", "MEDIUM"] }),
      rule({ id: 6, triggers: ["opened", "high"], severities: ["HIGH"] }),
    ];
    expect(matchingRules(change, rules).map((r) => r.id)).toEqual([1, 3, 6]);
  });

  it("keeps dismissed and snoozed alerts and connectors in maintenance quiet, but tells Fix now", () => {
    const windows = [{ id: 7, connectorId: 3, startsAt: new Date("2026-12-01T11:00:00Z"), endsAt: new Date("2026-12-01T13:00:00Z") }];
    const active = { status: "ACTIVE", snoozedUntil: null };
    expect(quietReason("opened", active, 3, T, [])).toBeNull();
    expect(quietReason("opened", { status: "DISMISSED", snoozedUntil: null }, 3, T, [])).toBe("dismissed");
    expect(quietReason("high", { status: "SNOOZED", snoozedUntil: new Date("2026-12-01T14:00:00Z") }, 3, T, [])).toBe("snoozed");
    expect(quietReason("high", { status: "ACTIVE", snoozedUntil: new Date("2026-12-01T11:00:00Z") }, 3, T, [])).toBeNull();
    expect(quietReason("opened", active, 3, T, windows)).toBe("expected: maintenance window #7");
    expect(quietReason("opened", active, 4, T, windows)).toBeNull();
    expect(quietReason("fixnow.applied", { status: "DISMISSED", snoozedUntil: null }, 3, T, windows)).toBeNull();
    expect(openWindow(3, new Date("2026-12-01T13:00:00Z"), windows)).toBeNull();
    expect(openWindow(3, new Date("2026-12-01T11:00:00Z"), windows)?.id).toBe(7);
  });

  it("suppresses past the daily limit with the reason", () => {
    expect(overDailyLimit(rule({ dailyLimit: 2 }), 1)).toBeNull();
    expect(overDailyLimit(rule({ dailyLimit: 2 }), 2)).toBe("the rule's daily limit of 2 was reached");
  });
});

describe("retries", () => {
  it("waits longer each time and gives up a day after the notification was written", () => {
    const first = T;
    const waits: number[] = [];
    let now = first;
    for (let attempts = 1; ; attempts++) {
      const next = nextAttemptAt(attempts, first, now);
      if (!next) break;
      waits.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(waits.slice(0, 5)).toEqual([30_000, 120_000, 600_000, 3_600_000, 10_800_000]);
    expect(now.getTime() - first.getTime()).toBe(GIVE_UP_AFTER_MS);
    expect(waits.length).toBeLessThan(12);
  });
});

describe("merging transitions", () => {
  let id = 0n;
  const row = (over: Partial<TransitionRow>): TransitionRow => ({
    id: ++id, alertId: 1, kind: "changed", txid: 100n, at: T, oldSeverity: "MEDIUM", severity: "MEDIUM", oldResolved: false, resolved: false,
    oldExpiredCount: 0, expiredCount: 0, regressionOfId: null, ...over,
  });
  const code = () => "4.4.316";
  const triggers = (rows: TransitionRow[], codeOf = code) => mergeTransitions(rows, codeOf).map((e) => e.trigger);

  it("reads an insert and its update in one transaction as one opened, regressed or cert.expiring", () => {
    const inserted = row({ kind: "inserted", oldSeverity: null });
    expect(triggers([inserted, row({ severity: "HIGH" })])).toEqual(["opened"]);
    expect(triggers([row({ kind: "inserted", oldSeverity: null }), row({ regressionOfId: 9 })])).toEqual(["regressed"]);
    expect(triggers([row({ kind: "inserted", oldSeverity: null, severity: "LOW" })], () => "cert-expiry")).toEqual(["cert.expiring"]);
  });

  it("compares one alert's first old values with its last new ones within a transaction", () => {
    expect(triggers([row({ severity: "HIGH" }), row({ oldSeverity: "HIGH", severity: "MEDIUM" })])).toEqual([]);
    expect(triggers([row({ severity: "HIGH" }), row({ txid: 101n, oldSeverity: "HIGH", severity: "HIGH", expiredCount: 3, oldExpiredCount: 1 })])).toEqual(["high", "expired"]);
    const [expired] = mergeTransitions([row({ oldExpiredCount: 1, expiredCount: 4, resolved: true })], code);
    expect(expired).toMatchObject({ trigger: "expired", expired: 3 });
    expect(triggers([row({ oldExpiredCount: 1, expiredCount: 4, resolved: true })])).toEqual(["expired", "resolved"]);
    expect(triggers([row({ oldResolved: true, resolved: true, severity: "HIGH", oldSeverity: "HIGH" })])).toEqual([]);
  });

  it("keeps Fix now rows as they are, in id order with the rest", () => {
    expect(triggers([row({ kind: "fixnow.applied" }), row({ resolved: true }), row({ txid: 102n, kind: "fixnow.undone" })])).toEqual(["fixnow.applied", "resolved", "fixnow.undone"]);
  });
});
