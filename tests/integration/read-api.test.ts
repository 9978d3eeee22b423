import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createSignedInUser, withCookie } from "@/tests/helpers/auth-session";
import { createConnector, createDomain } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import * as alertsRoute from "@/app/api/alerts/route";
import * as alertRoute from "@/app/api/alerts/[id]/route";
import * as connectorsRoute from "@/app/api/connectors/route";
import * as historyRoute from "@/app/api/connectors/[id]/history/route";
import * as eventsRoute from "@/app/api/connectors/[id]/events/route";
import * as domainsRoute from "@/app/api/domains/route";
import type { AlertDetail, AlertList, AlertSummary } from "@/lib/alerts/schemas";
import type { ConnectorHistory, ConnectorList, EventsPage } from "@/lib/connectors/schemas";
import type { DomainList } from "@/lib/domains/schemas";

// The read API end to end: route handler → zod → lib query → real Postgres → parsed output.
let t: TestDatabase;
let signed: (url: string) => Request;
let onPrem: { id: number };
let partner: { id: number };
let refused: { id: number };
let refusedBefore: { id: number };
let certificate: { id: number };
let other: { id: number };
let domainA: { id: number };

const H = 3_600_000;
const T0 = new Date("2026-11-27T00:00:00.000Z");
const at = (hours: number) => new Date(T0.getTime() + hours * H);

beforeAll(async () => {
  t = await createAppTestDatabase();
  signed = withCookie((await createSignedInUser(t.db, "VIEWER")).cookie);
  onPrem = await createConnector(t.db, { name: "Contoso on-premises", kind: "ON_PREMISES", smartHosts: ["mail.contoso.example"] });
  partner = await createConnector(t.db, { name: "Fabrikam partner", kind: "PARTNER", tlsMode: "CERTIFICATE_VALIDATION" });
  domainA = await createDomain(t.db, { name: "a.contoso.example", type: "INTERNAL_RELAY", connectorId: onPrem.id });
  await createDomain(t.db, { name: "b.contoso.example", type: "AUTHORITATIVE", connectorId: onPrem.id });
  await createDomain(t.db, { name: "fabrikam.example", type: "EXTERNAL_RELAY", connectorId: partner.id });

  refusedBefore = await alert({ connectorId: onPrem.id, errorCode: "4.4.316", status: "RESOLVED", firstSeenAt: at(-48), lastSeenAt: at(-40), resolvedAt: at(-39), queuedCount: 0, eventCount: 9, severity: "LOW" });
  refused = await alert({ connectorId: onPrem.id, errorCode: "4.4.316", firstSeenAt: at(1), lastSeenAt: at(4), queuedCount: 40, eventCount: 120, severity: "HIGH", regressionOfId: refusedBefore.id, latestDestination: "mail.contoso.example", latestDetails: "450 4.4.316 Connection refused [Message=Socket error code 10061]" });
  certificate = await alert({ connectorId: partner.id, errorCode: "4.7.320", status: "INVESTIGATING", firstSeenAt: at(2), lastSeenAt: at(5), queuedCount: 40, eventCount: 30, severity: "MEDIUM", latestDestination: "mx.fabrikam.example" });
  other = await alert({ connectorId: partner.id, errorCode: "5.1.1", status: "SNOOZED", firstSeenAt: at(0), lastSeenAt: at(3), queuedCount: 2, eventCount: 30, severity: "MEDIUM" });
  await alert({ connectorId: partner.id, errorCode: "4.4.312", status: "DISMISSED", firstSeenAt: at(-10), lastSeenAt: at(-9), queuedCount: 0, eventCount: 4, severity: "LOW" });
  await alert({ connectorId: onPrem.id, errorCode: "4.4.315", status: "RESOLVED", firstSeenAt: at(-20), lastSeenAt: at(-19), resolvedAt: at(-18), queuedCount: 0, eventCount: 30, severity: "MEDIUM" });

  await t.db.deliveryEvent.createMany({
    data: [
      ...events(onPrem.id, "DEFERRED", "4.4.316", [1.1, 1.5, 2.2, 4]),
      ...events(onPrem.id, "DEFERRED", "4.4.316", [-45]),
      ...events(onPrem.id, "DELIVERED", null, [0.5, 0.6, 7.5]),
      ...events(partner.id, "DEFERRED", "4.7.320", [2.5]),
    ],
  });
  // Written past the ingest path, so the hourly counts ingest keeps are derived here.
  await t.db.$executeRaw`INSERT INTO "EventHourlyCount" ("connectorId", "hour", "code", "count")
    SELECT "connectorId", date_bin('1 hour', "occurredAt", '2000-01-01T00:00:00Z'), coalesce("errorCode", 'delivered'), count(*)
    FROM "DeliveryEvent" GROUP BY 1, 2, 3`;
  const messages: Prisma.QueuedMessageCreateManyInput[] = [0, 1, 2, 3, 4].map((n) => ({
    connectorId: onPrem.id,
    alertId: refused.id,
    messageId: `<m${n}@contoso.example>`,
    recipient: `user${n}@a.contoso.example`,
    state: n === 1 ? "EXPIRED" : "QUEUED",
    firstAttemptAt: at(1 + n / 10),
    lastAttemptAt: at(4),
    expiresAt: at(25 + n / 10),
  }));
  await t.db.queuedMessage.createMany({ data: messages });
  await t.db.auditEntry.createMany({
    data: [
      { at: at(5), actor: "Ada", action: "alert.acknowledge", targetType: "alert", targetId: String(refused.id) },
      { at: at(6), actor: "Bo", action: "remediation.apply", targetType: "alert", targetId: String(refused.id) },
      { at: at(6), actor: "Bo", action: "connector.disable", targetType: "connector", targetId: String(onPrem.id), before: { enabled: true }, after: { enabled: false } },
      { at: at(6), actor: "Bo", action: "domain.type", targetType: "domain", targetId: String(domainA.id), before: { type: "INTERNAL_RELAY" }, after: { type: "AUTHORITATIVE" } },
      { at: at(-30), actor: "Cy", action: "connector.update", targetType: "connector", targetId: String(onPrem.id) },
    ],
  });
  await t.db.remediation.create({ data: { alertId: refused.id, kind: "fix-now", appliedBy: "Bo", appliedAt: at(6), before: { enabled: true }, after: { enabled: false } } });
});

afterAll(async () => {
  await t?.drop();
});

describe("GET /api/alerts", () => {
  it("lists open alerts by last seen with totals for every code and other", async () => {
    const body = await ok<AlertList>(listAlerts, "/api/alerts");
    expect(body.items.map((a) => a.id)).toEqual([certificate.id, refused.id, other.id]);
    expect(body.items[1]?.connector).toEqual({ id: onPrem.id, name: "Contoso on-premises", kind: "ON_PREMISES", enabled: true });
    expect(body.nextCursor).toBeNull();
    expect(body.totals.map((x) => x.code)).toEqual(["4.4.312", "4.4.315", "4.4.316", "4.4.317", "4.4.318", "4.7.320", "other"]);
    expect(body.totals.find((x) => x.code === "4.4.316")).toEqual({ code: "4.4.316", activeAlerts: 1, queued: 40 });
    expect(body.totals.find((x) => x.code === "other")).toEqual({ code: "other", activeAlerts: 1, queued: 2 });
    expect(body.totals.find((x) => x.code === "4.4.312")).toEqual({ code: "4.4.312", activeAlerts: 0, queued: 0 });
  });

  it("filters by status group, exact status, code, other codes, connector and text", async () => {
    expect(await ids("?status=resolved")).toHaveLength(3);
    expect(await ids("?status=all")).toHaveLength(6);
    expect(await ids("?status=INVESTIGATING")).toEqual([certificate.id]);
    expect(await ids("?status=all&code=4.4.316")).toEqual([refused.id, refusedBefore.id]);
    expect(await ids("?code=450%204.4.316")).toEqual([refused.id]);
    expect(await ids("?code=other")).toEqual([other.id]);
    expect(await ids(`?connector=${partner.id}`)).toEqual([certificate.id, other.id]);
    expect(await ids("?q=fabrikam")).toEqual([certificate.id, other.id]);
    expect(await ids("?q=SOCKET%20error")).toEqual([refused.id]);
    expect(await ids("?q=mx.fabrikam")).toEqual([certificate.id]);
    expect(await ids("?q=4.7.3")).toEqual([certificate.id]);
    expect(await ids("?code=&q=")).toHaveLength(3);
  });

  it.each(["lastSeen", "firstSeen", "queued", "events", "severity"] as const)(
    "pages through every alert sorted by %s in both orders without gaps or repeats",
    async (sort) => {
      const all = (await ok<AlertList>(listAlerts, `/api/alerts?status=all&sort=${sort}&limit=100`)).items;
      for (const order of ["asc", "desc"] as const) {
        const seen: AlertSummary[] = [];
        let cursor: string | null = null;
        do {
          const page: AlertList = await ok<AlertList>(listAlerts, `/api/alerts?status=all&sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.map((a) => a.id)).toEqual(expected(all, sort, order).map((a) => a.id));
      }
    },
  );

  it.each([
    ["status=open", "status"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["sort=name", "sort"],
    ["order=up", "order"],
    ["code=refused", "code"],
    ["connector=-1", "connector"],
    ["cursor=not-a-cursor", "cursor"],
    ["page=2", "(root)"],
  ])("answers 400 with the reason for %s", async (query, field) => {
    const res = await listAlerts(signed(`http://test/api/alerts?${query}`));
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { detail: string; issues: { field: string }[] };
    expect(problem.detail).toMatch(/^Invalid/);
    expect(problem.issues.map((i) => i.field)).toContain(field);
  });
});

describe("GET /api/alerts/:id", () => {
  it("returns the alert with connector, regression links, histogram, queued messages, audit, remediation and domains", async () => {
    const body = await ok<AlertDetail>((req) => alertRoute.GET(req, params(refused.id)), `/api/alerts/${refused.id}`);
    expect(body.alert).toMatchObject({ id: refused.id, errorCode: "4.4.316", status: "ACTIVE", latestDestination: "mail.contoso.example" });
    expect(body.alert.connector).toMatchObject({ name: "Contoso on-premises", kind: "ON_PREMISES", enabled: true, smartHosts: ["mail.contoso.example"] });
    expect(body.regressionOf?.id).toBe(refusedBefore.id);
    expect(body.histogram).toEqual([
      { hour: at(1).toISOString(), count: 2 },
      { hour: at(2).toISOString(), count: 1 },
      { hour: at(4).toISOString(), count: 1 },
    ]);
    expect(body.messages.items.map((m) => [m.recipient, m.state])).toEqual([
      ["user0@a.contoso.example", "QUEUED"],
      ["user2@a.contoso.example", "QUEUED"],
      ["user3@a.contoso.example", "QUEUED"],
      ["user4@a.contoso.example", "QUEUED"],
      ["user1@a.contoso.example", "EXPIRED"],
    ]);
    expect(body.messages.items[0]?.expiresAt).toBe(at(25).toISOString());
    expect(body.audit.map((a) => a.action)).toEqual(["remediation.apply", "alert.acknowledge"]);
    expect(body.remediation).toMatchObject({ appliedBy: "Bo", before: { enabled: true }, undoneAt: null });
    expect(body.domains.map((d) => [d.name, d.type])).toEqual([
      ["a.contoso.example", "INTERNAL_RELAY"],
      ["b.contoso.example", "AUTHORITATIVE"],
    ]);
    const earlier = await ok<AlertDetail>((req) => alertRoute.GET(req, params(refusedBefore.id)), `/api/alerts/${refusedBefore.id}`);
    expect(earlier.regressions.map((r) => r.id)).toEqual([refused.id]);
    expect(earlier.histogram).toEqual([{ hour: at(-45).toISOString(), count: 1 }]);
  });

  it("pages the queued messages with messagesCursor", async () => {
    const get = (q: string) => ok<AlertDetail>((req) => alertRoute.GET(req, params(refused.id)), `/api/alerts/${refused.id}${q}`);
    const first = await get("?messagesLimit=3");
    expect(first.messages.items).toHaveLength(3);
    const second = await get(`?messagesLimit=3&messagesCursor=${first.messages.nextCursor}`);
    expect([...first.messages.items, ...second.messages.items].map((m) => m.recipient)).toEqual([
      "user0@a.contoso.example",
      "user2@a.contoso.example",
      "user3@a.contoso.example",
      "user4@a.contoso.example",
      "user1@a.contoso.example",
    ]);
    expect(second.messages.nextCursor).toBeNull();
  });

  it("answers 404 for an unknown alert and 400 for a bad id or cursor", async () => {
    expect((await alertRoute.GET(signed("http://test/api/alerts/999999"), params(999999))).status).toBe(404);
    expect((await alertRoute.GET(signed("http://test/api/alerts/abc"), params("abc"))).status).toBe(400);
    expect((await alertRoute.GET(signed(`http://test/api/alerts/${refused.id}?messagesCursor=xyz`), params(refused.id))).status).toBe(400);
    expect((await alertRoute.GET(signed(`http://test/api/alerts/${refused.id}?messagesLimit=500`), params(refused.id))).status).toBe(400);
  });
});

describe("GET /api/connectors", () => {
  it("gives each connector its health from its open alerts, settings and domains", async () => {
    const body = await ok<ConnectorList>((req) => connectorsRoute.GET(req, undefined), "/api/connectors");
    const contoso = body.items.find((c) => c.id === onPrem.id);
    const fabrikam = body.items.find((c) => c.id === partner.id);
    expect(contoso).toMatchObject({ health: "failing", enabled: true, smartHosts: ["mail.contoso.example"], queued: 40 });
    expect(contoso?.openAlerts.map((a) => a.errorCode)).toEqual(["4.4.316"]);
    expect(contoso?.domains.map((d) => d.name)).toEqual(["a.contoso.example", "b.contoso.example"]);
    expect(fabrikam).toMatchObject({ health: "failing", tlsMode: "CERTIFICATE_VALIDATION", kind: "PARTNER" });
    expect(fabrikam?.openAlerts.map((a) => a.errorCode)).toEqual(["4.7.320", "5.1.1"]);
    const idle = await createConnector(t.db, { name: "Idle partner", kind: "PARTNER" });
    const again = await ok<ConnectorList>((req) => connectorsRoute.GET(req, undefined), "/api/connectors");
    expect(again.items.find((c) => c.id === idle.id)).toMatchObject({ health: "healthy", openAlerts: [], queued: 0 });
  });
});

describe("GET /api/connectors/:id/history", () => {
  const history = (id: number | string, q: string) => historyRoute.GET(signed(`http://test/api/connectors/${id}/history${q}`), params(id));

  it("counts events per hour and code, with delivered apart, alerts in range and configuration changes", async () => {
    const res = await history(onPrem.id, `?from=${at(0).toISOString()}&to=${at(8).toISOString()}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ConnectorHistory;
    expect(body.bucket).toBe("hour");
    expect(body.buckets).toHaveLength(8);
    expect(body.buckets[0]).toEqual({ start: at(0).toISOString(), counts: { delivered: 2 } });
    expect(body.buckets[1]).toEqual({ start: at(1).toISOString(), counts: { "4.4.316": 2 } });
    expect(body.buckets[3]).toEqual({ start: at(3).toISOString(), counts: {} });
    expect(body.codes).toEqual(["delivered", "4.4.316"]);
    expect(body.alerts.map((a) => a.id)).toEqual([refused.id]);
    expect(body.changes.map((c) => c.action)).toEqual(["connector.disable", "domain.type"]);
  });

  it("buckets by day, and includes alerts that were open during the range", async () => {
    const res = await history(onPrem.id, `?from=${at(-72).toISOString()}&to=${at(24).toISOString()}&bucket=day`);
    const body = (await res.json()) as ConnectorHistory;
    expect(body.buckets).toHaveLength(4);
    expect(body.buckets.reduce((n, b) => n + (b.counts["4.4.316"] ?? 0), 0)).toBe(5);
    expect(body.alerts.map((a) => a.errorCode)).toEqual(["4.4.316", "4.4.315", "4.4.316"]);
    expect(body.changes.map((c) => c.action)).toEqual(["connector.update", "connector.disable", "domain.type"]);
  });

  it("defaults to the last 24 hours by hour", async () => {
    const body = (await (await history(onPrem.id, "")).json()) as ConnectorHistory;
    expect(body.buckets.length).toBeGreaterThanOrEqual(24);
    expect(new Date(body.to).getTime() - new Date(body.from).getTime()).toBe(24 * H);
  });

  it.each([
    ["?from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z", /from: must be before to/],
    ["?from=2026-01-01T00:00:00Z&to=2026-11-27T00:00:00Z&bucket=day", /at most 90 days/],
    ["?from=2026-09-01T00:00:00Z&to=2026-11-27T00:00:00Z", /use bucket=day/],
    ["?bucket=week", /Invalid bucket/],
    ["?from=yesterday", /Invalid from/],
    ["?events=1", /Invalid/],
  ])("answers 400 for %s", async (query, reason) => {
    const res = await history(onPrem.id, query);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(reason);
  });

  it("answers 404 for an unknown connector", async () => {
    expect((await history(424242, "")).status).toBe(404);
  });
});

describe("GET /api/connectors/:id/events", () => {
  const get = async (q: string) => {
    const res = await eventsRoute.GET(signed(`http://test/api/connectors/${onPrem.id}/events${q}`), params(onPrem.id));
    expect(res.status).toBe(200);
    return (await res.json()) as EventsPage;
  };

  it("pages events newest first, with status and code filters", async () => {
    const first = await get("?limit=3");
    expect(first.items.map((e) => e.occurredAt)).toEqual([at(7.5), at(4), at(2.2)].map((d) => d.toISOString()));
    const rest = await get(`?limit=10&cursor=${first.nextCursor}`);
    expect(rest.items).toHaveLength(5);
    expect(rest.nextCursor).toBeNull();
    expect((await get("?status=DELIVERED")).items).toHaveLength(3);
    expect((await get("?code=4.4.316")).items).toHaveLength(5);
    expect((await get(`?code=4.4.316&from=${at(0).toISOString()}&to=${at(3).toISOString()}`)).items).toHaveLength(3);
  });

  it("answers 400 for bad filters and 404 for an unknown connector", async () => {
    for (const q of ["?status=queued", "?cursor=zzz", "?limit=1000", "?code=x"]) {
      const res = await eventsRoute.GET(signed(`http://test/api/connectors/${onPrem.id}/events${q}`), params(onPrem.id));
      expect(res.status, q).toBe(400);
    }
    expect((await eventsRoute.GET(signed("http://test/api/connectors/9999/events"), params(9999))).status).toBe(404);
  });
});

describe("GET /api/domains", () => {
  it("lists accepted domains with type, connector and their changes", async () => {
    const body = await ok<DomainList>((req) => domainsRoute.GET(req, undefined), "/api/domains");
    expect(body.items.map((d) => [d.name, d.type, d.connector?.name])).toEqual([
      ["a.contoso.example", "INTERNAL_RELAY", "Contoso on-premises"],
      ["b.contoso.example", "AUTHORITATIVE", "Contoso on-premises"],
      ["fabrikam.example", "EXTERNAL_RELAY", "Fabrikam partner"],
    ]);
    expect(body.items[0]?.changes).toMatchObject([{ action: "domain.type", actor: "Bo", after: { type: "AUTHORITATIVE" } }]);
    expect(body.items[1]?.changes).toEqual([]);
  });
});

async function ok<T>(handler: (req: Request) => Promise<Response>, path: string): Promise<T> {
  const res = await handler(signed(`http://test${path}`));
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function ids(query: string): Promise<number[]> {
  return (await ok<AlertList>(listAlerts, `/api/alerts${query}`)).items.map((a) => a.id);
}

function listAlerts(req: Request) {
  return alertsRoute.GET(req, undefined);
}

function params(id: number | string) {
  return { params: Promise.resolve({ id: String(id) }) };
}

function alert(data: Omit<Prisma.AlertUncheckedCreateInput, "affectedDomains">) {
  return t.db.alert.create({ data: { affectedDomains: [], messageCount: data.queuedCount, ...data } });
}

function events(connectorId: number, status: "DEFERRED" | "DELIVERED", errorCode: string | null, hours: number[]): Prisma.DeliveryEventCreateManyInput[] {
  return hours.map((h, i) => ({
    connectorId,
    status,
    errorCode,
    occurredAt: at(h),
    messageId: `<e${connectorId}-${status}-${h}-${i}@contoso.example>`,
    recipient: "someone@a.contoso.example",
    smtpStatus: errorCode ? 450 : 250,
  }));
}

const SEVERITY_RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const;

function expected(all: AlertSummary[], sort: string, order: "asc" | "desc"): AlertSummary[] {
  const key = (a: AlertSummary): number =>
    sort === "lastSeen" ? Date.parse(a.lastSeenAt)
    : sort === "firstSeen" ? Date.parse(a.firstSeenAt)
    : sort === "queued" ? a.queuedCount
    : sort === "events" ? a.eventCount
    : SEVERITY_RANK[a.severity];
  const sign = order === "asc" ? 1 : -1;
  return [...all].sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
}
