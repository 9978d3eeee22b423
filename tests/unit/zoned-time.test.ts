import { describe, expect, it } from "vitest";
import { fromZonedInput, toZonedInput } from "@/lib/i18n/zoned-time";

describe("zoned date-time inputs", () => {
  it("shows an instant as the zone's wall clock", () => {
    const instant = new Date("2026-11-27T15:30:00Z");
    expect(toZonedInput(instant, "UTC")).toBe("2026-11-27T15:30");
    expect(toZonedInput(instant, "Europe/Stockholm")).toBe("2026-11-27T16:30");
    expect(toZonedInput(instant, "America/New_York")).toBe("2026-11-27T10:30");
    expect(toZonedInput(new Date("2026-07-01T22:15:00Z"), "Europe/Stockholm")).toBe("2026-07-02T00:15");
  });

  it("reads the zone's wall clock back as the same instant, in winter and summer time", () => {
    expect(fromZonedInput("2026-11-27T16:30", "Europe/Stockholm")?.toISOString()).toBe("2026-11-27T15:30:00.000Z");
    expect(fromZonedInput("2026-07-02T00:15", "Europe/Stockholm")?.toISOString()).toBe("2026-07-01T22:15:00.000Z");
    expect(fromZonedInput("2026-11-27T10:30", "America/New_York")?.toISOString()).toBe("2026-11-27T15:30:00.000Z");
    expect(fromZonedInput("2026-11-27T15:30", "UTC")?.toISOString()).toBe("2026-11-27T15:30:00.000Z");
    for (const zone of ["Europe/Stockholm", "Asia/Kolkata", "Pacific/Auckland"]) {
      const instant = new Date("2026-03-29T12:45:00Z");
      expect(fromZonedInput(toZonedInput(instant, zone), zone)?.toISOString()).toBe(instant.toISOString());
    }
  });

  it("gives null for text that is not a date and time", () => {
    expect(fromZonedInput("", "UTC")).toBeNull();
    expect(fromZonedInput("tomorrow", "UTC")).toBeNull();
    expect(fromZonedInput("2026-11-27", "UTC")).toBeNull();
  });
});
