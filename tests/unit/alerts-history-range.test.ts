import { describe, expect, it } from "vitest";
import { bucketStarts, fillBuckets, isHistoryRangeName, namedRangeQuery, resolveHistoryRange, seriesCodes } from "@/lib/connectors/history-range";

const now = new Date("2026-11-27T12:34:00.000Z");

describe("connector history range", () => {
  it("defaults to the last 24 hours", () => {
    const range = resolveHistoryRange({ bucket: "hour" }, now);
    expect(range.to).toEqual(now);
    expect(range.from).toEqual(new Date("2026-11-26T12:34:00.000Z"));
    expect(bucketStarts(range.from, range.to, "hour")).toHaveLength(25);
  });

  it("refuses an empty or reversed range, more than 90 days, and more than 2,000 buckets", () => {
    expect(() => resolveHistoryRange({ from: "2026-11-27T10:00:00Z", to: "2026-11-27T10:00:00Z", bucket: "hour" }, now)).toThrow(/before to/);
    expect(() => resolveHistoryRange({ from: "2026-08-01T00:00:00Z", to: "2026-11-27T00:00:00Z", bucket: "day" }, now)).toThrow(/90 days/);
    expect(() => resolveHistoryRange({ from: "2026-09-01T00:00:00Z", to: "2026-11-27T00:00:00Z", bucket: "hour" }, now)).toThrow(/2000/);
    expect(resolveHistoryRange({ from: "2026-09-01T00:00:00Z", to: "2026-11-27T00:00:00Z", bucket: "day" }, now).bucket).toBe("day");
  });

  it("fills every bucket, zero where nothing happened, in UTC days", () => {
    const range = { from: new Date("2026-11-25T06:00:00Z"), to: new Date("2026-11-27T06:00:00Z"), bucket: "day" as const };
    const filled = fillBuckets(range, [{ start: new Date("2026-11-26T00:00:00Z"), code: "delivered", count: 4 }]);
    expect(filled).toEqual([
      { start: "2026-11-25T00:00:00.000Z", counts: {} },
      { start: "2026-11-26T00:00:00.000Z", counts: { delivered: 4 } },
      { start: "2026-11-27T00:00:00.000Z", counts: {} },
    ]);
  });

  it("puts delivered first in the legend", () => {
    expect(seriesCodes([{ code: "4.7.320" }, { code: "delivered" }, { code: "4.4.316" }, { code: "4.4.316" }])).toEqual(["delivered", "4.4.316", "4.7.320"]);
  });
});

describe("named history ranges", () => {
  it("map 24 h and 7 d to hourly buckets and 30 d to daily ones, all within the limits", () => {
    expect(namedRangeQuery("24h", now)).toEqual({ from: "2026-11-26T12:34:00.000Z", to: now.toISOString(), bucket: "hour" });
    expect(namedRangeQuery("7d", now).bucket).toBe("hour");
    expect(namedRangeQuery("30d", now)).toMatchObject({ from: "2026-10-28T12:34:00.000Z", bucket: "day" });
    for (const name of ["24h", "7d", "30d"] as const) expect(() => resolveHistoryRange(namedRangeQuery(name, now), now)).not.toThrow();
    expect(isHistoryRangeName("7d")).toBe(true);
    expect(isHistoryRangeName("1y")).toBe(false);
  });
});
