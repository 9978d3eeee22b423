import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { deliverDue } from "@/lib/notify/deliver";
import { listNotifications } from "@/lib/notify/log";
import { routeTransitions } from "@/lib/notify/router";
import { notifySecretKey } from "@/lib/notify/secret-key";
import { newSecretKey } from "@/lib/notify/secrets";
import { createChannel, createRule, createWindow, deleteChannel, updateChannel, updateRule } from "@/lib/notify/service";
import { testActor } from "@/tests/helpers/actors";
import { createConnector } from "@/tests/helpers/factories";
import { startReceiver, testWebhookSender } from "@/tests/helpers/notify-receiver";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Channels, rules and windows through the service: validated, audited, the secret encrypted at
// rest and never returned or audited; the notification log shows what became of each notification.
let t: TestDatabase;
let db: Db;
const admin = testActor("ada", "ADMIN");
const URL_SECRET = "https://hooks.example.test/workflows/abc?sig=TOPSECRETSIG";
beforeAll(async () => {
  process.env.NOTIFY_SECRET_KEY = newSecretKey();
  resetEnvCache();
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationRule", "NotificationChannel", "MaintenanceWindow", "AuditEntry", "AlertTransition", "Alert", "Connector" RESTART IDENTITY CASCADE`);
});

describe("channels", () => {
  it("stores the secret encrypted, answers with its hint only, and never audits it", async () => {
    const created = await createChannel(db, admin, { name: "Ops Teams", kind: "teams", secret: URL_SECRET });
    expect(created).toMatchObject({ name: "Ops Teams", hasSecret: true, secretHint: "https://hooks.example.test/…" });
    expect(JSON.stringify(created)).not.toContain("TOPSECRET");
    const stored = await db.notificationChannel.findFirstOrThrow();
    expect(stored.secret).not.toContain("TOPSECRET");
    expect(stored.secret).not.toContain("hooks.example.test");
    await updateChannel(db, admin, created.id, { name: "Ops channel" });
    await updateChannel(db, admin, created.id, { secret: URL_SECRET.replace("abc", "def") });
    await deleteChannel(db, admin, created.id);
    const audit = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.note])).toEqual([
      ["notification-channel.create", null], ["notification-channel.update", null], ["notification-channel.update", "secret replaced"], ["notification-channel.delete", null],
    ]);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after, a.note]))).not.toMatch(/TOPSECRET|workflows/);
  });

  it("refuses a channel the channels' checks refuse, per field, and a viewer", async () => {
    const refused = await createChannel(db, admin, { name: "Bad", kind: "teams", secret: "not a url" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).issues?.map((i) => i.field)).toEqual(["secret"]);
    await expect(createChannel(db, testActor("vic", "VIEWER"), { name: "X", kind: "slack", secret: URL_SECRET })).rejects.toThrow();
    expect(await db.notificationChannel.count()).toBe(0);
  });
});

describe("rules, windows and the log", () => {
  it("routes through a rule made by the service, and the log shows delivered and retrying with the reason", async () => {
    const receiver = await startReceiver();
    try {
      const c = await createConnector(db, { name: "To contoso" });
      const ch = await createChannel(db, admin, { name: "Hook", kind: "teams", secret: receiver.url });
      await createRule(db, admin, { channelId: ch.id, groupMinutes: 0 });
      await createWindow(db, admin, { connectorId: c.id, startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-01T02:00:00Z", reason: "planned move" });
      await expect(createWindow(db, admin, { connectorId: c.id, startsAt: "2030-01-01T02:00:00Z", endsAt: "2030-01-01T01:00:00Z", reason: "backwards" })).rejects.toThrow();
      for (const code of ["4.4.316", "4.7.320"]) await db.alert.create({ data: { connectorId: c.id, errorCode: code, firstSeenAt: new Date(), lastSeenAt: new Date() } });
      await routeTransitions(db);
      receiver.answers.push("fail");
      await deliverDue(db, { senders: { teams: testWebhookSender }, appUrl: "https://mailflow.example.test", secretKey: notifySecretKey(), concurrency: 1 });
      const { entries, nextBefore } = await listNotifications(db, { limit: 1 });
      expect(entries).toEqual([expect.objectContaining({ channel: "Hook", kind: "teams", connector: "To contoso", errorCode: "4.7.320", state: "DELIVERED", attempts: 1, nextAttemptAt: null })]);
      const older = await listNotifications(db, { before: nextBefore ?? 0 });
      expect(older.entries).toEqual([expect.objectContaining({ errorCode: "4.4.316", state: "RETRYING", lastError: "HTTP 500", nextAttemptAt: expect.any(String) })]);
      expect(older.nextBefore).toBeNull();
      expect((await listNotifications(db, { state: "RETRYING" })).entries).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

describe("rule changes", () => {
  it("changes every field of a saved rule, its channel too, audited; an unknown channel or a bad field is refused at its field and changes nothing", async () => {
    const c = await createConnector(db, { name: "To fabrikam" });
    const first = await createChannel(db, admin, { name: "First", kind: "teams", secret: URL_SECRET });
    const second = await createChannel(db, admin, { name: "Second", kind: "slack", secret: "https://hooks.slack.com/services/T0/B0/abc" });
    const rule = await createRule(db, admin, { channelId: first.id, triggers: ["opened"], codes: ["4.4.999"], severities: ["HIGH"], dailyLimit: 20 });
    const change = {
      channelId: second.id, triggers: ["opened", "resolved"] as const, codes: ["4.4.316"], connectorIds: [c.id], severities: [] as [],
      dailyLimit: 50, groupMinutes: 0, timeZone: "Europe/Stockholm",
    };
    const changed = await updateRule(db, admin, rule.id, { ...change, triggers: [...change.triggers] });
    expect(changed).toMatchObject({ ...change, triggers: ["opened", "resolved"], enabled: true });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "notification-rule.update" } });
    expect(entry.before).toMatchObject({ channelId: first.id, codes: ["4.4.999"] });
    expect(entry.after).toMatchObject({ channelId: second.id, codes: ["4.4.316"], timeZone: "Europe/Stockholm" });

    const unknown = await updateRule(db, admin, rule.id, { channelId: 999_999 }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(AppError);
    expect((unknown as AppError).issues).toEqual([{ field: "channelId", message: expect.any(String) }]);
    await expect(updateRule(db, admin, rule.id, { dailyLimit: 0 })).rejects.toThrow();
    await expect(updateRule(db, admin, rule.id, { timeZone: "Mars/Olympus" })).rejects.toThrow();
    expect(await db.notificationRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ channelId: second.id, dailyLimit: 50, timeZone: "Europe/Stockholm" });
  });
});
