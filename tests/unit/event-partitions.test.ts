import { describe, expect, it } from "vitest";
import { dayOf, partitionDay, partitionName, partitionsToDrop, partitionWindow, retentionHorizon, tooOldReason } from "@/lib/events/partitions";

const NOW = new Date("2026-12-01T20:30:00.000Z");

describe("event partitions (pure)", () => {
  it("names a day's partition and reads the day back; other names are not ours", () => {
    expect(partitionName(new Date("2026-12-01T23:59:59.999Z"))).toBe("DeliveryEvent_p20261201");
    expect(partitionDay("DeliveryEvent_p20261201")).toEqual(new Date("2026-12-01T00:00:00.000Z"));
    expect(partitionDay("DeliveryEvent_p20261331")).toBeNull();
    expect(partitionDay("DeliveryEvent_p2026120")).toBeNull();
    expect(partitionDay("DeliveryEvent_old")).toBeNull();
    expect(dayOf(new Date("2026-12-01T00:00:00.000Z"))).toEqual(new Date("2026-12-01T00:00:00.000Z"));
  });

  it("the window runs from the horizon's day to a week ahead", () => {
    expect(retentionHorizon(NOW, 90)).toEqual(new Date("2026-09-02T20:30:00.000Z"));
    expect(partitionWindow(NOW, 90)).toEqual({ first: "2026-09-02", last: "2026-12-08" });
    expect(partitionWindow(NOW, 1)).toEqual({ first: "2026-11-30", last: "2026-12-08" });
  });

  it("drops only partitions whose whole day is before the horizon, oldest first", () => {
    const horizon = new Date("2026-09-02T20:30:00.000Z");
    const names = ["DeliveryEvent_p20260902", "DeliveryEvent_p20260901", "DeliveryEvent_p20260831", "DeliveryEvent_old", "Other_p20200101"];
    expect(partitionsToDrop(names, horizon)).toEqual(["DeliveryEvent_p20260831", "DeliveryEvent_p20260901"]);
    expect(partitionsToDrop(["DeliveryEvent_p20260901"], new Date("2026-09-02T00:00:00.000Z"))).toEqual(["DeliveryEvent_p20260901"]);
    expect(partitionsToDrop(["DeliveryEvent_p20260901"], new Date("2026-09-01T23:59:59.999Z"))).toEqual([]);
  });

  it("says why an old event is refused", () => {
    expect(tooOldReason(new Date("2026-09-02T20:30:00.000Z"), 90))
      .toBe("is older than the event retention of 90 days (events before 2026-09-02T20:30:00.000Z are no longer kept)");
  });
});
