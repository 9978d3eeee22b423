import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import type { Job } from "@/lib/jobs/scheduler";
import { APP_URL_WARNING, registerNotificationJobs } from "@/lib/notify/jobs";
import { pruneNotificationLog } from "@/lib/notify/retention";
import { createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Retention of the notification tables: routed transitions and finished notifications older than
// the retention go, in bounded batches; unrouted transitions, pending and retrying notifications,
// recent rows, and a delivered notification naming an alert still open (the Alertmanager re-send
// reads it) stay. And the jobs' registration: the retention job, one APP_URL warning at start.
let t: TestDatabase;
let db: Db;
const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationChannel", "AlertTransition", "Alert", "Connector" RESTART IDENTITY CASCADE`);
});

describe("pruneNotificationLog", () => {
  it("deletes routed transitions and finished notifications past the retention; keeps unrouted, pending, retrying, recent, and delivered ones of open alerts", async () => {
    const c = await createConnector(db);
    const open = await db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.316", firstSeenAt: ago(200), lastSeenAt: ago(1) } });
    const resolved = await db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.317", firstSeenAt: ago(200), lastSeenAt: ago(150), status: "RESOLVED", resolvedAt: ago(150) } });
    await db.alertTransition.deleteMany();
    const transition = (alertId: number, at: Date, routedAt: Date | null, note: string) =>
      db.alertTransition.create({ data: { alertId, kind: "changed", txid: 1, at, severity: "LOW", resolved: false, expiredCount: 0, routedAt, routedNote: note } });
    await transition(resolved.id, ago(120), ago(120), "old routed");
    await transition(open.id, ago(95), ago(91), "old routed, open alert");
    await transition(open.id, ago(100), null, "old unrouted");
    await transition(open.id, ago(10), ago(10), "recent routed");
    const channel = await db.notificationChannel.create({ data: { name: "Hook", kind: "webhook" } });
    const notification = (key: string, state: "PENDING" | "RETRYING" | "DELIVERED" | "GIVEN_UP" | "SUPPRESSED", createdAt: Date, alertIds: number[]) =>
      db.notification.create({ data: { key, channelId: channel.id, trigger: "opened", connectorId: c.id, errorCode: "4.4.316", alertIds, payload: {}, state, nextAttemptAt: createdAt, createdAt } });
    await notification("old delivered", "DELIVERED", ago(120), [resolved.id]);
    await notification("old given up", "GIVEN_UP", ago(100), [open.id]);
    await notification("old suppressed", "SUPPRESSED", ago(100), [resolved.id]);
    await notification("old pending", "PENDING", ago(100), [resolved.id]);
    await notification("old retrying", "RETRYING", ago(100), [resolved.id]);
    await notification("old delivered, alert open", "DELIVERED", ago(100), [open.id, resolved.id]);
    await notification("recent delivered", "DELIVERED", ago(89), [resolved.id]);

    expect(await pruneNotificationLog(db, { retentionDays: 90, now })).toEqual({ transitions: 2, notifications: 3 });
    const transitions = await db.alertTransition.findMany({ orderBy: { id: "asc" } });
    expect(transitions.map((r) => r.routedNote)).toEqual(["old unrouted", "recent routed"]);
    const kept = await db.notification.findMany({ orderBy: { id: "asc" } });
    expect(kept.map((n) => n.key)).toEqual(["old pending", "old retrying", "old delivered, alert open", "recent delivered"]);

    // Once the alert resolves, its delivered notification goes too; nothing else changes.
    await db.alert.update({ where: { id: open.id }, data: { status: "RESOLVED", resolvedAt: now } });
    expect(await pruneNotificationLog(db, { retentionDays: 90, now })).toEqual({ transitions: 0, notifications: 1 });
  });

  it("deletes in bounded batches: a run stops after maxBatches, the next one goes on", async () => {
    const c = await createConnector(db);
    const alert = await db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.316", firstSeenAt: ago(200), lastSeenAt: ago(150), status: "RESOLVED", resolvedAt: ago(150) } });
    await db.alertTransition.deleteMany();
    await db.$executeRawUnsafe(
      `INSERT INTO "AlertTransition" ("alertId", kind, txid, at, severity, resolved, "expiredCount", "routedAt")
       SELECT $1, 'changed', g, $2, 'LOW', true, 0, $2 FROM generate_series(1, 25) g`,
      alert.id, ago(100),
    );
    const channel = await db.notificationChannel.create({ data: { name: "Hook", kind: "webhook" } });
    await db.$executeRawUnsafe(
      `INSERT INTO "Notification" (key, "channelId", trigger, "connectorId", "errorCode", "alertIds", payload, state, "nextAttemptAt", "createdAt", "updatedAt")
       SELECT 'k' || g, $1, 'opened', $2, '4.4.316', ARRAY[$3::int], '{}', 'DELIVERED', $4, $4, $4 FROM generate_series(1, 25) g`,
      channel.id, c.id, alert.id, ago(100),
    );
    expect(await pruneNotificationLog(db, { retentionDays: 90, now, batchSize: 10, maxBatches: 2 })).toEqual({ transitions: 20, notifications: 20 });
    expect(await pruneNotificationLog(db, { retentionDays: 90, now, batchSize: 10, maxBatches: 2 })).toEqual({ transitions: 5, notifications: 5 });
    expect(await db.alertTransition.count()).toBe(0);
    expect(await db.notification.count()).toBe(0);
  });
});

describe("registerNotificationJobs", () => {
  const saved = { APP_URL: process.env.APP_URL, AUTH_URL: process.env.AUTH_URL };
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvCache();
  });

  it("registers the retention job; without APP_URL it warns once at start, naming APP_URL, and the deliverer sends nothing", async () => {
    delete process.env.APP_URL;
    delete process.env.AUTH_URL;
    resetEnvCache();
    const jobs: Job[] = [];
    const warnings: string[] = [];
    registerNotificationJobs({ register: (job) => { jobs.push(job); } }, () => db, { warn: (line: string) => { warnings.push(line); } });
    expect(jobs.map((j) => j.name)).toEqual(["notify-route", "notify-deliver", "notify-retention", "notify-alertmanager-resend"]);
    expect(warnings).toEqual([APP_URL_WARNING]);
    expect(APP_URL_WARNING).toContain("APP_URL is not set");
    await jobs.find((j) => j.name === "notify-deliver")?.run(new AbortController().signal);
    expect(warnings).toHaveLength(1);

    process.env.APP_URL = "https://mailflow.example.test";
    resetEnvCache();
    registerNotificationJobs({ register: () => {} }, () => db, { warn: (line: string) => { warnings.push(line); } });
    expect(warnings).toHaveLength(1);
  });
});
