import { describe, expect, it } from "vitest";
import { codeGroup, codeKey, displayCode } from "@/lib/alerts/codes";
import { foldTotals, keysetOf, listQueryFromSearch, listQueryToSearch, severitiesAfter, statusesFor } from "@/lib/alerts/list-params";
import { alertListQuerySchema } from "@/lib/alerts/schemas";

describe("the code catalogue", () => {
  it("groups the six codes of DOMAIN.md by themselves and everything else as other", () => {
    expect(codeGroup("4.4.316")).toBe("4.4.316");
    expect(codeGroup("4.7.320")).toBe("4.7.320");
    expect(codeGroup("5.1.1")).toBe("other");
    expect(codeGroup("unknown")).toBe("other");
    expect(codeKey("4.4.312")).toBe("dnsQueryFailed");
    expect(codeKey("4.4.999")).toBe("other");
    expect(displayCode("4.4.318")).toBe("450 4.4.318");
    expect(displayCode("unknown")).toBe("unknown");
  });
});

describe("alert list parameters", () => {
  it("expands status groups and keeps exact statuses", () => {
    expect(statusesFor("active")).toEqual(["ACTIVE", "INVESTIGATING", "SNOOZED"]);
    expect(statusesFor("resolved")).toEqual(["DISMISSED", "RESOLVED"]);
    expect(statusesFor("all")).toHaveLength(5);
    expect(statusesFor("SNOOZED")).toEqual(["SNOOZED"]);
  });

  it("defaults to open alerts by last seen, 25 a page, and normalises `450 4.4.316`", () => {
    expect(alertListQuerySchema.parse({})).toEqual({ status: "active", sort: "lastSeen", order: "desc", limit: 25 });
    expect(alertListQuerySchema.parse({ code: "450 4.4.316" }).code).toBe("4.4.316");
    expect(alertListQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
    expect(alertListQuerySchema.safeParse({ extra: "1" }).success).toBe(false);
  });

  it("continues severity after the cursor's value in either order", () => {
    expect(severitiesAfter("MEDIUM", "desc")).toEqual(["LOW"]);
    expect(severitiesAfter("MEDIUM", "asc")).toEqual(["HIGH"]);
    expect(severitiesAfter("HIGH", "asc")).toEqual([]);
    expect(severitiesAfter("bogus", "asc")).toEqual([]);
  });

  it("stores dates as ISO strings and counts as numbers in the keyset", () => {
    const row = { id: 7, lastSeenAt: new Date("2026-11-27T10:00:00Z"), firstSeenAt: new Date(0), queuedCount: 3, eventCount: 9, severity: "HIGH" };
    expect(keysetOf(row, "lastSeen")).toEqual({ value: "2026-11-27T10:00:00.000Z", id: 7 });
    expect(keysetOf(row, "queued")).toEqual({ value: 3, id: 7 });
    expect(keysetOf(row, "severity")).toEqual({ value: "HIGH", id: 7 });
  });

  it("folds totals into the six codes plus other, with zeros for quiet codes", () => {
    const totals = foldTotals([
      { errorCode: "4.4.316", alerts: 2, queued: 300 },
      { errorCode: "5.1.1", alerts: 1, queued: 4 },
      { errorCode: "unknown", alerts: 1, queued: 1 },
    ]);
    expect(totals).toHaveLength(7);
    expect(totals.find((t) => t.code === "4.4.316")).toEqual({ code: "4.4.316", activeAlerts: 2, queued: 300 });
    expect(totals.find((t) => t.code === "other")).toEqual({ code: "other", activeAlerts: 2, queued: 5 });
    expect(totals.find((t) => t.code === "4.4.312")).toEqual({ code: "4.4.312", activeAlerts: 0, queued: 0 });
  });
});

describe("alert list URL", () => {
  it("round-trips a query through the search string, leaving defaults out", () => {
    const query = listQueryFromSearch({ status: "all", code: "4.4.316", connector: "3", q: "contoso", sort: "queued", order: "asc" });
    expect(listQueryToSearch(query)).toBe("?status=all&code=4.4.316&connector=3&q=contoso&sort=queued&order=asc");
    expect(listQueryToSearch(listQueryFromSearch({}))).toBe("");
  });

  it("drops parameters that do not validate and keeps the rest", () => {
    expect(listQueryFromSearch({ status: "bogus", code: "4.7.320", limit: "9999", extra: "x" })).toEqual({
      status: "active",
      code: "4.7.320",
      sort: "lastSeen",
      order: "desc",
      limit: 25,
    });
    expect(listQueryFromSearch({ sort: ["events", "queued"] }).sort).toBe("events");
  });
});
