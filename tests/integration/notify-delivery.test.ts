import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { deliverDue, type DeliverOptions } from "@/lib/notify/deliver";
import { resendFiring } from "@/lib/notify/resend";
import { routeTransitions } from "@/lib/notify/router";
import { newSecretKey, parseSecretKey } from "@/lib/notify/secrets";
import type { NotificationMessage } from "@/lib/notify/types";
import { createConnector } from "@/tests/helpers/factories";
import { createChannel, createRule } from "@/tests/helpers/notify";
import { refusingUrl, startReceiver, testWebhookSender, type Receiver } from "@/tests/helpers/notify-receiver";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The deliverer against Postgres and a real loopback HTTP receiver: delivered, retried with
// growing waits and the reason, given up on a permanent failure or after a day; the key is the
// same on every try.
let t: TestDatabase;
let db: Db;
let receiver: Receiver;
const key = parseSecretKey(newSecretKey());
beforeAll(async () => { t = await createTestDatabase(); db = t.db; });
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationRule", "NotificationChannel", "AlertTransition", "Alert", "Connector" RESTART IDENTITY CASCADE`);
  receiver = await startReceiver();
});
afterEach(async () => { await receiver.close(); });

const T0 = new Date("2026-11-27T09:00:00.000Z");
const options = (over: Partial<DeliverOptions> = {}): DeliverOptions => ({ senders: { webhook: testWebhookSender }, appUrl: "https://mailflow.example.test/", secretKey: key, timeoutMs: 2_000, ...over });

/** One alert opened on a connector and routed to a webhook channel at `url`: one notification. */
async function oneNotification(url: string) {
  const c = await createConnector(db, { name: "To contoso" });
  const ch = await createChannel(db, key, url);
  await createRule(db, ch.id);
  const alert = await db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.316", firstSeenAt: T0, lastSeenAt: T0, latestDetails: "450 4.4.316 Connection refused" } });
  await routeTransitions(db);
  return { alert, notification: await db.notification.findFirstOrThrow() };
}
const later = (ms: number) => () => new Date(Date.now() + ms);
const row = () => db.notification.findFirstOrThrow();

describe("delivery", () => {
  it("delivers with the notification's key and the alert read fresh, linked from APP_URL", async () => {
    const bodies: NotificationMessage[] = [];
    const { alert, notification } = await oneNotification(receiver.url);
    await deliverDue(db, options({ senders: { webhook: async (c, m, s) => { bodies.push(m); return testWebhookSender(c, m, s); } } }));
    expect(receiver.accepted).toEqual([notification.key]);
    expect(bodies[0]).toMatchObject({ key: notification.key, trigger: "opened", alerts: [{ alertId: alert.id, connector: "To contoso", code: "4.4.316", url: `https://mailflow.example.test/alerts/${alert.id}`, latestDetails: "450 4.4.316 Connection refused" }] });
    expect(await row()).toMatchObject({ state: "DELIVERED", attempts: 1, lastError: null });
    expect(await deliverDue(db, options())).toBe(0);
  });

  it("retries a 500 after 30 s with the reason, then delivers with the same key", async () => {
    const { notification } = await oneNotification(receiver.url);
    receiver.answers.push("fail");
    await deliverDue(db, options());
    const retrying = await row();
    expect(retrying).toMatchObject({ state: "RETRYING", attempts: 1, lastError: "HTTP 500" });
    expect(retrying.nextAttemptAt.getTime() - (retrying.lastAttemptAt?.getTime() ?? 0)).toBe(30_000);
    expect(await deliverDue(db, options())).toBe(0);
    await deliverDue(db, options({ now: later(31_000) }));
    expect(await row()).toMatchObject({ state: "DELIVERED", attempts: 2 });
    expect(receiver.keys).toEqual([notification.key, notification.key]);
  });

  it("retries a host that hangs (timed out) or refuses, and gives up on a 4xx", async () => {
    await oneNotification(receiver.url);
    receiver.answers.push("hang");
    const started = Date.now();
    await deliverDue(db, options({ timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await row()).toMatchObject({ state: "RETRYING", lastError: "no answer within 0.3 s" });

    await db.notificationChannel.updateMany({ data: { secret: (await createChannel(db, key, await refusingUrl())).secret } });
    await deliverDue(db, options({ now: later(31_000) }));
    expect(await row()).toMatchObject({ state: "RETRYING", attempts: 2, lastError: "ECONNREFUSED" });

    await db.notificationChannel.updateMany({ data: { secret: (await createChannel(db, key, receiver.url)).secret } });
    receiver.answers.push("reject");
    await deliverDue(db, options({ now: later(200_000) }));
    expect(await row()).toMatchObject({ state: "GIVEN_UP", attempts: 3, lastError: "HTTP 400" });
  });

  it("gives up a day after writing, saying so", async () => {
    await oneNotification(receiver.url);
    receiver.answers.push("fail");
    await deliverDue(db, options({ now: later(25 * 3_600_000) }));
    expect(await row()).toMatchObject({ state: "GIVEN_UP", lastError: "HTTP 500 (tried for a day)" });
  });

  it("waits with the reason when there is no sender for the kind or no key for the secret", async () => {
    await oneNotification(receiver.url);
    await deliverDue(db, options({ senders: {} }));
    expect(await row()).toMatchObject({ state: "RETRYING", lastError: "no sender for channels of kind webhook" });
    await deliverDue(db, options({ secretKey: null, now: later(31_000) }));
    expect(await row()).toMatchObject({ state: "RETRYING", lastError: "NOTIFY_SECRET_KEY is not set: the channel's secret cannot be read" });
    await deliverDue(db, options({ secretKey: parseSecretKey(newSecretKey()), now: later(200_000) }));
    expect((await row()).lastError).toMatch(/NOTIFY_SECRET_KEY is not the key/);
    expect(receiver.keys).toEqual([]);
  });

  it("sends others while one host hangs", async () => {
    await oneNotification(receiver.url);
    await db.alert.create({ data: { connectorId: (await db.connector.findFirstOrThrow()).id, errorCode: "4.7.320", firstSeenAt: T0, lastSeenAt: T0 } });
    await routeTransitions(db);
    receiver.answers.push("hang");
    await deliverDue(db, options({ timeoutMs: 1_500, concurrency: 2 }));
    const states = (await db.notification.findMany({ orderBy: { id: "asc" } })).map((n) => n.state);
    expect(states).toEqual(["RETRYING", "DELIVERED"]);
  });
});

describe("the Alertmanager re-send", () => {
  it("re-sends the open alerts a delivered notification named, without endsAt; not the resolved or dismissed ones", async () => {
    const bodies: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => { body += chunk.toString(); });
      req.on("end", () => { bodies.push(JSON.parse(body)); res.writeHead(200).end(); });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { alert } = await oneNotification(receiver.url);
    const am = await db.notificationChannel.create({ data: { name: "Alertmanager", kind: "alertmanager", settings: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } } });
    const resolved = await db.alert.create({ data: { connectorId: alert.connectorId, errorCode: "4.7.320", firstSeenAt: T0, lastSeenAt: T0, resolvedAt: T0, status: "RESOLVED" } });
    const dismissed = await db.alert.create({ data: { connectorId: alert.connectorId, errorCode: "4.4.317", firstSeenAt: T0, lastSeenAt: T0, status: "DISMISSED" } });
    await db.notification.create({ data: { key: "am-1", channelId: am.id, trigger: "opened", connectorId: alert.connectorId, errorCode: "4.4.316", alertIds: [alert.id, resolved.id, dismissed.id], payload: {}, state: "DELIVERED", nextAttemptAt: T0 } });
    const outcomes = await resendFiring(db, { appUrl: "https://mailflow.example.test" });
    await new Promise((resolve) => server.close(resolve));
    expect(outcomes.get(am.id)).toMatchObject({ ok: true });
    expect(bodies).toEqual([[expect.objectContaining({ labels: expect.objectContaining({ code: "4.4.316" }), generatorURL: `https://mailflow.example.test/alerts/${alert.id}` })]]);
    expect(JSON.stringify(bodies)).not.toContain("endsAt");
  });
});
