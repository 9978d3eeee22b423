import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { createApiToken } from "@/lib/auth/tokens";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { POSTFIX_BENCH_CONNECTORS, postfixLog } from "@/lib/bench/postfix-log";
import { poolOf } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { resetEnvCache } from "@/lib/env";
import { ingestEvents, ingestInTransaction } from "@/lib/events/ingest";
import { sweepQueues } from "@/lib/events/sweep";
import { allowedMethods } from "@/lib/http/api-routes";
import { senders } from "@/lib/notify/channels";
import { webhookSecret } from "@/lib/notify/channels/webhook";
import { deliverDue } from "@/lib/notify/deliver";
import { routeTransitions } from "@/lib/notify/router";
import { newSecretKey, parseSecretKey } from "@/lib/notify/secrets";
import { CONNECTOR_QUEUES_SQL, OPEN_ALERTS_SQL } from "@/lib/metrics/gauges";
import { applyFixNow, undoFixNow } from "@/lib/remediation/service";
import { readPostfixLog } from "@/lib/sources/postfix/follow";
import { testActor } from "@/tests/helpers/actors";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { createChannel, createRule } from "@/tests/helpers/notify";
import { startReceiver } from "@/tests/helpers/notify-receiver";
import { parseExposition, series, valueOf, type Exposition } from "@/tests/helpers/prometheus-text";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { proxy } from "@/proxy";

// GET /api/metrics against Postgres through its route handler: the token, the text format, and
// every metric moving by exactly what was done. Counters are per process and these tests share
// one, so each compares a scrape before with one after.

const TOKEN = "metrics_test_token_0123456789";
const MINUTE = 60_000;

let t: TestDatabase;
beforeAll(async () => {
  process.env.METRICS_TOKEN = TOKEN;
  process.env.METRICS_CACHE_SECONDS = "0";
  t = await createAppTestDatabase();
});
afterAll(async () => {
  await t?.drop();
  delete process.env.METRICS_TOKEN;
  delete process.env.METRICS_CACHE_SECONDS;
  resetEnvCache();
});
beforeEach(async () => {
  await t.db.$executeRawUnsafe(`TRUNCATE "DeliveryEvent", "EventClientId", "EventHourlyCount", "QueuedMessage", "Alert", "Remediation", "AcceptedDomain", "EventSource",
    "Notification", "NotificationRule", "NotificationChannel", "AlertTransition", "AuditEntry", "Connector" RESTART IDENTITY CASCADE`);
});

function get(authorization?: string): Promise<Response> {
  return GET(new Request("http://localhost:3000/api/metrics", { headers: authorization ? { authorization } : {} }), undefined);
}

async function scrape(): Promise<Exposition> {
  const res = await get(`Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parseExposition(await res.text());
}

/** What a scrape after `work` shows minus what one before it showed, for one series. */
async function delta(name: string, labels: Record<string, string>, work: () => Promise<unknown>): Promise<number> {
  const before = valueOf(await scrape(), name, labels);
  await work();
  return valueOf(await scrape(), name, labels) - before;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * MINUTE).toISOString();

describe("access", () => {
  it("answers 404 with a clear reason when METRICS_TOKEN is not set", async () => {
    delete process.env.METRICS_TOKEN;
    resetEnvCache();
    try {
      const res = await get(`Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json()).detail).toContain("set METRICS_TOKEN");
    } finally {
      process.env.METRICS_TOKEN = TOKEN;
      resetEnvCache();
    }
  });

  it("answers 401 without the token, with another token, and with an ingest token", async () => {
    const ingest = (await createApiToken(t.db, COMMAND_LINE_ACTOR, "edge")).token;
    for (const header of [undefined, "", `Bearer ${TOKEN}0`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN, `Bearer ${ingest}`]) {
      const res = await get(header);
      expect(res.status, String(header)).toBe(401);
      expect((await res.json()).detail).toContain("Authorization: Bearer <METRICS_TOKEN>");
    }
  });

  it("is an API path of its own (GET only), so the proxy lets Prometheus through without a session", () => {
    expect(allowedMethods("/api/metrics")).toEqual(["GET"]);
    const request = (method: string) => new NextRequest("http://localhost:3000/api/metrics", { method, headers: { host: "localhost:3000", authorization: `Bearer ${TOKEN}` } });
    expect(proxy(request("GET")).headers.get("x-middleware-next")).toBe("1");
    const post = proxy(request("POST"));
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("serves the text format with types, prom-client's process metrics and our families", async () => {
    const e = await scrape();
    expect(e.types.get("process_cpu_user_seconds_total")).toBe("counter");
    expect(e.types.get("nodejs_heap_size_used_bytes")).toBe("gauge");
    expect(e.types.get("mailflow_events_ingested_total")).toBe("counter");
    expect(e.types.get("mailflow_ingest_batch_duration_seconds")).toBe("histogram");
    expect(e.types.get("mailflow_alerts_open")).toBe("gauge");
    expect(e.types.get("mailflow_messages_queued")).toBe("gauge");
    expect(e.types.get("mailflow_queued_oldest_age_seconds")).toBe("gauge");
    expect(e.types.get("mailflow_fix_now_total")).toBe("counter");
    expect(valueOf(e, "mailflow_gauges_up")).toBe(1);
  });
});

describe("ingest counters", () => {
  it("count committed events by source and status, refusals by reason, and one histogram sample per batch", async () => {
    const c = await createConnector(t.db, { name: "To contoso" });
    const at = minutesAgo(30);
    const events = [
      ...[1, 2, 3].map((n) => buildEvent({ id: `d${n}`, connector: c.id, occurredAt: at })),
      ...[4, 5].map((n) => buildEvent({ id: `ok${n}`, connector: c.id, occurredAt: at, status: "delivered", errorCode: undefined, errorDetails: undefined })),
      buildEvent({ id: "f6", connector: c.id, occurredAt: at, status: "failed", errorCode: "550 5.1.1", errorDetails: "550 5.1.1 no such user" }),
    ];
    const before = await scrape();
    await ingestEvents(t.db, events);
    // A repeat of two stored client ids and one invalid event: nothing stored, three refused.
    await ingestEvents(t.db, [events[0], events[3], { ...events[1], id: "bad", occurredAt: "yesterday" }]);
    await ingestEvents(t.db, [buildEvent({ id: "demo1", connector: c.id, occurredAt: at })], { source: "demo" });
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved("mailflow_events_ingested_total", { source: "api", status: "deferred" })).toBe(3);
    expect(moved("mailflow_events_ingested_total", { source: "api", status: "delivered" })).toBe(2);
    expect(moved("mailflow_events_ingested_total", { source: "api", status: "failed" })).toBe(1);
    expect(moved("mailflow_events_ingested_total", { source: "demo", status: "deferred" })).toBe(1);
    expect(moved("mailflow_events_refused_total", { source: "api", reason: "duplicate" })).toBe(2);
    expect(moved("mailflow_events_refused_total", { source: "api", reason: "rejected" })).toBe(1);
    expect(moved("mailflow_ingest_batch_duration_seconds_count", { source: "api" })).toBe(2);
    expect(moved("mailflow_ingest_batch_duration_seconds_count", { source: "demo" })).toBe(1);
    expect(moved("mailflow_ingest_batch_duration_seconds_sum", { source: "api" })).toBeGreaterThan(0);
    expect(moved("mailflow_ingest_batch_duration_seconds_bucket", { source: "api", le: "+Inf" })).toBe(2);
  });

  it("count ingest inside a caller's transaction only when it commits", async () => {
    const c = await createConnector(t.db, { name: "To contoso" });
    const events = [1, 2].map((n) => buildEvent({ id: `tx${n}`, connector: c.id, occurredAt: minutesAgo(10) }));
    const labels = { source: "postfix", status: "deferred" };
    const rolledBack = await delta("mailflow_events_ingested_total", labels, () =>
      withSqlTransaction(poolOf(t.db), async (tx) => {
        await ingestInTransaction(tx, events, { source: "postfix" });
        throw new Error("the caller's own write failed");
      }).catch(() => undefined));
    expect(rolledBack).toBe(0);
    expect(await t.db.deliveryEvent.count()).toBe(0);
    const committed = await delta("mailflow_events_ingested_total", labels, () =>
      withSqlTransaction(poolOf(t.db), (tx) => ingestInTransaction(tx, events, { source: "postfix" })));
    expect(committed).toBe(2);
  });

  it("count what the Postfix reader stored, by source postfix", async () => {
    await t.db.connector.createMany({ data: POSTFIX_BENCH_CONNECTORS.map((c) => ({ ...c, queueLifetimeMinutes: 7200 })) });
    const dir = await mkdtemp(path.join(os.tmpdir(), "mf-metrics-"));
    try {
      const file = path.join(dir, "mail.log");
      await writeFile(file, postfixLog(0, 20, Date.now() - 3 * 3_600_000));
      const before = await scrape();
      const read = await readPostfixLog(t.db, file, { timeZone: "UTC" });
      const after = await scrape();
      const stored = await t.db.deliveryEvent.groupBy({ by: ["status"], _count: true });
      expect(read.events).toBeGreaterThan(0);
      for (const { status, _count } of stored) {
        const labels = { source: "postfix", status: status.toLowerCase() };
        expect(valueOf(after, "mailflow_events_ingested_total", labels) - valueOf(before, "mailflow_events_ingested_total", labels), status).toBe(_count);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("gauges", () => {
  it("show open alerts by code and severity, queued per connector and the oldest queued age, exactly", async () => {
    const a = await createConnector(t.db, { name: "To contoso" });
    const b = await createConnector(t.db, { name: "To \"fabrikam\" partner", kind: "PARTNER" });
    const idle = await createConnector(t.db, { name: "Idle" });
    await ingestEvents(t.db, [
      ...[1, 2, 3].map(() => buildEvent({ connector: a.id, occurredAt: minutesAgo(40) })),
      ...[1, 2].map(() => buildEvent({ connector: b.id, occurredAt: minutesAgo(20), errorCode: "451 4.7.320", errorDetails: "certificate validation failed" })),
      buildEvent({ connector: b.id, occurredAt: minutesAgo(15), status: "failed", errorCode: "550 5.1.1", errorDetails: "no such user" }),
    ]);
    const e = await scrape();

    const open = await t.db.alert.groupBy({ by: ["errorCode", "severity"], where: { status: { in: ["ACTIVE", "INVESTIGATING", "SNOOZED"] } }, _count: true });
    expect(open.length).toBe(3);
    expect(series(e, "mailflow_alerts_open")).toHaveLength(open.length);
    for (const o of open) expect(valueOf(e, "mailflow_alerts_open", { code: o.errorCode, severity: o.severity })).toBe(o._count);
    expect(valueOf(e, "mailflow_alerts_open", { code: "4.4.316" })).toBe(1);
    expect(valueOf(e, "mailflow_alerts_open", { code: "4.7.320" })).toBe(1);

    expect(valueOf(e, "mailflow_messages_queued", { connector_id: String(a.id), connector: "To contoso" })).toBe(3);
    expect(valueOf(e, "mailflow_messages_queued", { connector_id: String(b.id), connector: "To \"fabrikam\" partner" })).toBe(2);
    expect(valueOf(e, "mailflow_messages_queued", { connector_id: String(idle.id), connector: "Idle" })).toBe(0);
    for (const c of [a, b, idle]) {
      const stored = await t.db.queuedMessage.count({ where: { connectorId: c.id, state: "QUEUED" } });
      expect(valueOf(e, "mailflow_messages_queued", { connector_id: String(c.id) }), c.name).toBe(stored);
    }
    const age = valueOf(e, "mailflow_queued_oldest_age_seconds");
    expect(age).toBeGreaterThanOrEqual(40 * 60 - 1);
    expect(age).toBeLessThan(41 * 60);
  });

  it("keep one queued series per connector however many messages queue", async () => {
    const a = await createConnector(t.db, { name: "To contoso" });
    const b = await createConnector(t.db, { name: "Partner", kind: "PARTNER" });
    for (let batch = 0; batch < 3; batch++) {
      await ingestEvents(t.db, Array.from({ length: 1000 }, () => buildEvent({ connector: a.id, occurredAt: minutesAgo(30 - batch) })));
    }
    const text = await (await get(`Bearer ${TOKEN}`)).text();
    const e = parseExposition(text);
    expect(series(e, "mailflow_messages_queued")).toHaveLength(2);
    expect(valueOf(e, "mailflow_messages_queued", { connector_id: String(a.id) })).toBe(3000);
    expect(valueOf(e, "mailflow_messages_queued", { connector_id: String(b.id) })).toBe(0);
    // No message id or recipient reaches a label.
    expect(text).not.toContain("@contoso.example");
    expect(e.samples.filter((s) => s.name.startsWith("mailflow_")).length).toBeLessThan(100);
  });

  it("count expired messages from the alerts, moved by the sweep, whose runs and duration count too", async () => {
    const c = await createConnector(t.db, { name: "To contoso", queueLifetimeMinutes: 60 });
    await ingestEvents(t.db, [1, 2].map(() => buildEvent({ connector: c.id, occurredAt: minutesAgo(90) })));
    const labels = { connector_id: String(c.id) };
    const before = await scrape();
    expect(valueOf(before, "mailflow_messages_expired", labels)).toBe(0);
    expect(valueOf(before, "mailflow_messages_queued", labels)).toBe(2);
    expect(await sweepQueues(t.db, new Date())).toBe(1);
    const after = await scrape();
    expect(valueOf(after, "mailflow_messages_expired", labels)).toBe(2);
    expect(valueOf(after, "mailflow_messages_queued", labels)).toBe(0);
    expect(valueOf(after, "mailflow_queued_oldest_age_seconds")).toBe(0);
    expect(valueOf(after, "mailflow_sweep_runs_total", { outcome: "ok" }) - valueOf(before, "mailflow_sweep_runs_total", { outcome: "ok" })).toBe(1);
    expect(valueOf(after, "mailflow_sweep_duration_seconds_count") - valueOf(before, "mailflow_sweep_duration_seconds_count")).toBe(1);
    expect(valueOf(after, "mailflow_sweep_connectors_total") - valueOf(before, "mailflow_sweep_connectors_total")).toBe(1);
  });

  it("are reused for METRICS_CACHE_SECONDS, so scrapes in between read nothing new", async () => {
    const c = await createConnector(t.db, { name: "To contoso" });
    process.env.METRICS_CACHE_SECONDS = "60";
    resetEnvCache();
    try {
      await scrape();
      await ingestEvents(t.db, [buildEvent({ connector: c.id, occurredAt: minutesAgo(5) })]);
      expect(valueOf(await scrape(), "mailflow_messages_queued", { connector_id: String(c.id) })).toBe(0);
    } finally {
      process.env.METRICS_CACHE_SECONDS = "0";
      resetEnvCache();
    }
    expect(valueOf(await scrape(), "mailflow_messages_queued", { connector_id: String(c.id) })).toBe(1);
  });

  it("are read without touching DeliveryEvent or QueuedMessage (EXPLAIN)", async () => {
    const c = await createConnector(t.db, { name: "To contoso" });
    for (let batch = 0; batch < 5; batch++) {
      await ingestEvents(t.db, Array.from({ length: 1000 }, (_, i) => buildEvent({ connector: c.id, occurredAt: minutesAgo(60 - batch), status: i % 2 ? "delivered" : "deferred" })));
    }
    await t.db.$executeRawUnsafe(`ANALYZE`);
    for (const [sql, params] of [[OPEN_ALERTS_SQL, [["ACTIVE", "INVESTIGATING", "SNOOZED"]]], [CONNECTOR_QUEUES_SQL, []]] as const) {
      const [row] = await t.db.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (FORMAT JSON) ${sql}`, ...params);
      const plan = JSON.stringify(row!["QUERY PLAN"]);
      const relations = [...plan.matchAll(/"Relation Name":"([^"]+)"/g)].map((m) => m[1]);
      expect(relations.length).toBeGreaterThan(0);
      expect(relations.every((r) => r === "Alert" || r === "Connector"), relations.join(",")).toBe(true);
    }
  });
});

describe("Fix now and notification counters", () => {
  it("count Fix now applied and undone", async () => {
    const c = await createConnector(t.db, { name: "To contoso on-premises", kind: "ON_PREMISES" });
    await createDomain(t.db, { name: "a.contoso.example", type: "INTERNAL_RELAY", connectorId: c.id });
    await ingestEvents(t.db, [1, 2].map(() => buildEvent({ connector: c.id, occurredAt: minutesAgo(10) })));
    const alert = await t.db.alert.findFirstOrThrow();
    const actor = testActor("ada");
    const before = await scrape();
    expect(valueOf(before, "mailflow_messages_queued", { connector_id: String(c.id) })).toBe(2);
    await applyFixNow(t.db, { alertId: alert.id, actor });
    const applied = await scrape();
    expect(valueOf(applied, "mailflow_fix_now_total", { action: "apply" }) - valueOf(before, "mailflow_fix_now_total", { action: "apply" })).toBe(1);
    expect(valueOf(applied, "mailflow_messages_queued", { connector_id: String(c.id) })).toBe(0);
    expect(valueOf(applied, "mailflow_alerts_open", { code: "4.4.316" })).toBe(0);
    // A second click is refused and counts nothing.
    await expect(applyFixNow(t.db, { alertId: alert.id, actor })).rejects.toThrow();
    await undoFixNow(t.db, { alertId: alert.id, actor });
    const undone = await scrape();
    expect(valueOf(undone, "mailflow_fix_now_total", { action: "apply" }) - valueOf(before, "mailflow_fix_now_total", { action: "apply" })).toBe(1);
    expect(valueOf(undone, "mailflow_fix_now_total", { action: "undo" }) - valueOf(before, "mailflow_fix_now_total", { action: "undo" })).toBe(1);
  });

  it("count notification deliveries by channel kind and outcome", async () => {
    const receiver = await startReceiver();
    try {
      const key = parseSecretKey(newSecretKey());
      const c = await createConnector(t.db, { name: "To contoso" });
      const channel = await createChannel(t.db, key, webhookSecret({ url: receiver.url, signingSecret: "metrics-test-signing-secret" }));
      await createRule(t.db, channel.id);
      await t.db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.316", firstSeenAt: new Date(), lastSeenAt: new Date() } });
      await routeTransitions(t.db);
      const options = { senders, appUrl: "https://mailflow.example.test/", secretKey: key, timeoutMs: 2_000 };
      const labels = (outcome: string) => ({ kind: "webhook", outcome });
      const before = await scrape();
      receiver.answers.push("fail");
      await deliverDue(t.db, options);
      await deliverDue(t.db, { ...options, now: () => new Date(Date.now() + 31_000) });
      const after = await scrape();
      const moved = (outcome: string) => valueOf(after, "mailflow_notification_deliveries_total", labels(outcome)) - valueOf(before, "mailflow_notification_deliveries_total", labels(outcome));
      expect(receiver.keys).toHaveLength(2);
      expect(moved("retrying")).toBe(1);
      expect(moved("delivered")).toBe(1);
      expect(moved("given_up")).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
