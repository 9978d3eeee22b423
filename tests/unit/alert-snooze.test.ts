import { describe, expect, it } from "vitest";
import { effectiveStatus, snoozeWake } from "@/lib/alerts/snooze";

const now = new Date("2026-11-27T12:00:00Z");
const snoozed = { status: "SNOOZED", snoozedUntil: new Date("2026-11-27T15:00:00Z"), snoozedQueued: 10, queuedCount: 10 };

describe("snooze rule", () => {
  it("holds while the time has not come and the queue has not grown", () => {
    expect(snoozeWake(snoozed, now)).toBeNull();
    expect(snoozeWake({ ...snoozed, queuedCount: 4 }, now)).toBeNull();
    expect(effectiveStatus(snoozed, now)).toBe("SNOOZED");
  });

  it("ends when more messages are queued than when snoozed", () => {
    expect(snoozeWake({ ...snoozed, queuedCount: 11 }, now)).toBe("worse");
    expect(effectiveStatus({ ...snoozed, queuedCount: 11 }, now)).toBe("ACTIVE");
  });

  it("ends when the snooze time has passed (at the very moment too)", () => {
    expect(snoozeWake({ ...snoozed, snoozedUntil: "2026-11-27T12:00:00Z" }, now)).toBe("expired");
    expect(snoozeWake({ ...snoozed, snoozedUntil: new Date("2026-11-27T11:00:00Z") }, now)).toBe("expired");
    expect(snoozeWake({ ...snoozed, snoozedUntil: null }, now)).toBe("expired");
  });

  it("leaves every other status alone", () => {
    for (const status of ["ACTIVE", "INVESTIGATING", "DISMISSED", "RESOLVED"]) {
      const alert = { ...snoozed, status, queuedCount: 99, snoozedUntil: null };
      expect(snoozeWake(alert, now)).toBeNull();
      expect(effectiveStatus(alert, now)).toBe(status);
    }
  });
});
