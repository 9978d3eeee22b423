import { describe, expect, it } from "vitest";
import { decideAttempt, delayAfter, THROTTLE_WINDOW_MS, throttleKey } from "@/lib/auth/throttle";

const rules = { freeFailures: 5 };
const T = new Date("2026-11-27T12:00:00Z");
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);

describe("per-account sign-in throttle", () => {
  it("lets the first five attempts through and counts each", () => {
    let state = null as { failures: number; lastFailureAt: Date } | null;
    for (let i = 1; i <= 5; i++) {
      const d = decideAttempt(state, rules, at(i));
      expect(d.allowed).toBe(true);
      if (d.allowed) state = d.next;
    }
    expect(state).toEqual({ failures: 5, lastFailureAt: at(5) });
    expect(decideAttempt(state, rules, at(6))).toEqual({ allowed: false, retryAfterSeconds: 29 });
  });

  it("doubles the wait with every failure after that, up to 15 minutes", () => {
    expect([5, 6, 7, 8, 20].map((n) => delayAfter(n, rules))).toEqual([30_000, 60_000, 120_000, 240_000, 15 * 60_000]);
    expect(delayAfter(4, rules)).toBe(0);
    const state = { failures: 6, lastFailureAt: T };
    expect(decideAttempt(state, rules, at(59))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(decideAttempt(state, rules, at(60))).toEqual({ allowed: true, next: { failures: 7, lastFailureAt: at(60) } });
  });

  it("starts over after a quiet window", () => {
    const state = { failures: 9, lastFailureAt: T };
    expect(decideAttempt(state, rules, new Date(T.getTime() + THROTTLE_WINDOW_MS + 1))).toMatchObject({ allowed: true, next: { failures: 1 } });
  });

  it("keys accounts by their normalised email", () => {
    expect(throttleKey("  Ada@Example.TEST ")).toBe("ada@example.test");
  });
});
