import { describe, expect, it } from "vitest";
import { metricsAccess } from "@/lib/metrics/access";
import { reusedValue } from "@/lib/metrics/cache";
import { countValues } from "@/lib/metrics/definitions";
import { gaugeSeries } from "@/lib/metrics/snapshot";

const TOKEN = "metrics_token_0123456789abcdef";

describe("metricsAccess", () => {
  it("is off without a configured token, whatever the request sends", () => {
    expect(metricsAccess(undefined, `Bearer ${TOKEN}`)).toBe("off");
    expect(metricsAccess("", null)).toBe("off");
  });

  it("allows exactly the configured token as a Bearer token", () => {
    expect(metricsAccess(TOKEN, `Bearer ${TOKEN}`)).toBe("allowed");
    expect(metricsAccess(TOKEN, `  Bearer ${TOKEN}  `)).toBe("allowed");
  });

  it("denies a missing, malformed, other, longer, shorter or differently cased token", () => {
    for (const header of [null, "", TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN.toUpperCase()}`,
      "Bearer mf_someIngestTokenOfTheApp1234", `Bearer ${TOKEN} ${TOKEN}`, `Bearer ${"a".repeat(5000)}`]) {
      expect(metricsAccess(TOKEN, header), String(header).slice(0, 40)).toBe("denied");
    }
  });
});

describe("reusedValue", () => {
  it("reuses a value for its key within the period, shares a load in flight, and loads again after it", async () => {
    let now = 1_000;
    let loads = 0;
    const cache = reusedValue<number>(() => now);
    const key = {};
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get(key, 5_000, load), cache.get(key, 5_000, load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    now += 4_999;
    expect(await cache.get(key, 5_000, load)).toBe(1);
    now += 1;
    expect(await cache.get(key, 5_000, load)).toBe(2);
    expect(await cache.get({}, 5_000, load)).toBe(3);
    expect(await cache.get(key, 0, load)).toBe(4);
  });

  it("forgets a failed load at once", async () => {
    const cache = reusedValue<number>(() => 0);
    const key = {};
    await expect(cache.get(key, 60_000, () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(await cache.get(key, 60_000, async () => 7)).toBe(7);
  });
});

describe("gaugeSeries", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const snapshot = {
    openAlerts: [{ code: "4.4.316", severity: "HIGH", alerts: 2 }, { code: "4.7.320", severity: "LOW", alerts: 1 }],
    connectors: [
      { id: 1, name: "To on-prem", queued: 3, expired: 4, oldestQueuedAt: new Date("2026-12-01T11:00:00Z") },
      { id: 2, name: "Partner \"A\"", queued: 0, expired: 0, oldestQueuedAt: new Date("2026-12-01T08:00:00Z") },
      { id: 3, name: "Backup", queued: 1, expired: 0, oldestQueuedAt: new Date("2026-12-01T11:30:00Z") },
    ],
  };

  it("has one queued and one expired series per connector, and the oldest queued age over connectors with queued mail", () => {
    const s = gaugeSeries(snapshot, now);
    expect(s.openAlerts).toEqual([
      { labels: { code: "4.4.316", severity: "HIGH" }, value: 2 },
      { labels: { code: "4.7.320", severity: "LOW" }, value: 1 },
    ]);
    expect(s.queued).toEqual([
      { labels: { connector_id: "1", connector: "To on-prem" }, value: 3 },
      { labels: { connector_id: "2", connector: "Partner \"A\"" }, value: 0 },
      { labels: { connector_id: "3", connector: "Backup" }, value: 1 },
    ]);
    expect(s.expired.map((e) => e.value)).toEqual([4, 0, 0]);
    expect(s.oldestQueuedAgeSeconds).toBe(3600);
  });

  it("reports age 0 when nothing is queued, and never a negative age", () => {
    expect(gaugeSeries({ openAlerts: [], connectors: [] }, now).oldestQueuedAgeSeconds).toBe(0);
    const ahead = { openAlerts: [], connectors: [{ id: 1, name: "x", queued: 1, expired: 0, oldestQueuedAt: new Date(now.getTime() + 60_000) }] };
    expect(gaugeSeries(ahead, now).oldestQueuedAgeSeconds).toBe(0);
  });
});

describe("countValues", () => {
  it("counts each value once per occurrence", () => {
    expect([...countValues(["deferred", "delivered", "deferred"])]).toEqual([["deferred", 2], ["delivered", 1]]);
    expect(countValues([]).size).toBe(0);
  });
});
