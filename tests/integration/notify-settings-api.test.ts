import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as channelsRoute from "@/app/api/notifications/channels/route";
import * as channelRoute from "@/app/api/notifications/channels/[id]/route";
import * as testRoute from "@/app/api/notifications/channels/[id]/test/route";
import * as logRoute from "@/app/api/notifications/log/route";
import * as windowsRoute from "@/app/api/notifications/maintenance/route";
import * as windowRoute from "@/app/api/notifications/maintenance/[id]/route";
import * as rulesRoute from "@/app/api/notifications/rules/route";
import * as ruleRoute from "@/app/api/notifications/rules/[id]/route";
import type { Role } from "@/lib/auth/roles";
import { resetEnvCache } from "@/lib/env";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook, webhookSecret } from "@/lib/notify/channels/webhook";
import { newSecretKey } from "@/lib/notify/secrets";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { createConnector } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The notification settings' HTTP routes, route → service → Postgres: channels (the secret never
// in an answer or an audit entry), Send test against a real loopback receiver that checks the
// signature, refused input per field, roles, rules and maintenance windows, the log's pages.
let t: TestDatabase;
const cookies: Partial<Record<Role, string>> = {};
const SIGNING = "s3cret-signing-key-0123456789";
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let hookUrl = "";

beforeAll(async () => {
  process.env.NOTIFY_SECRET_KEY = newSecretKey();
  t = await createAppTestDatabase();
  resetEnvCache();
  for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) cookies[role] = (await createSignedInUser(t.db, role, `${role.toLowerCase()} user`)).cookie;
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => { body += chunk; });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      const signed = verifyWebhook(SIGNING, { timestamp: header(req, TIMESTAMP_HEADER), signature: header(req, SIGNATURE_HEADER) }, body);
      res.writeHead(signed ? 200 : 401).end(signed ? "ok" : "bad signature");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/TOKENPATH`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.drop();
});
beforeEach(async () => {
  received.length = 0;
  await t.db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationRule", "NotificationChannel", "MaintenanceWindow", "AuditEntry", "Connector" RESTART IDENTITY CASCADE`);
});

const ORIGIN = "http://localhost";
const send = (role: Role, method: string, url: string, body?: unknown) =>
  new Request(`${ORIGIN}${url}`, {
    method,
    headers: { cookie: cookies[role]!, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
type Problem = { status: number; detail: string; issues?: { field: string; message: string }[] };
const json = async <T>(res: Response) => ({ status: res.status, body: (await res.json()) as T & Problem });

const webhook = (url = hookUrl, signingSecret = SIGNING) => ({ name: "Ops hook", kind: "webhook", language: "en", secret: webhookSecret({ url, signingSecret }) });
const createChannel = async (body: unknown = webhook(), role: Role = "ADMIN") =>
  json<{ id: number; secretHint: string; hasSecret: boolean }>(await channelsRoute.POST(send(role, "POST", "/api/notifications/channels", body), undefined));

describe("channels", () => {
  it("creates, lists, changes and deletes a webhook channel; the secret is in no answer and no audit entry", async () => {
    const created = await createChannel();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Ops hook", kind: "webhook", hasSecret: true });
    expect(created.body.secretHint).toMatch(/^http:\/\/127\.0\.0\.1/);
    const listed = await json<{ channels: unknown[] }>(await channelsRoute.GET(send("ADMIN", "GET", "/api/notifications/channels"), undefined));
    expect(listed.body.channels).toHaveLength(1);
    const renamed = await json(await channelRoute.PATCH(send("ADMIN", "PATCH", `/api/notifications/channels/${created.body.id}`, { name: "Ops webhook", language: "sv" }), params(created.body.id)));
    expect(renamed.body).toMatchObject({ name: "Ops webhook", language: "sv", hasSecret: true });
    const answers = JSON.stringify([created.body, listed.body, renamed.body]);
    expect(answers).not.toContain(SIGNING);
    expect(answers).not.toContain("TOKENPATH");
    expect((await channelRoute.DELETE(send("ADMIN", "DELETE", `/api/notifications/channels/${created.body.id}`), params(created.body.id))).status).toBe(204);
    const audit = await t.db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["notification-channel.create", "notification-channel.update", "notification-channel.delete"]);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after, a.note]))).not.toMatch(/s3cret|TOKENPATH/);
  });

  it("refuses an invalid URL and missing fields with a 400 per field, and changes nothing", async () => {
    const badUrl = await createChannel(webhook("not a url", "short"));
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.issues?.map((i) => i.field).sort()).toEqual(["secret.signingSecret", "secret.url"]);
    const missing = await createChannel({ kind: "email" });
    expect(missing.status).toBe(400);
    expect(missing.body.issues?.map((i) => i.field)).toContain("name");
    const email = await createChannel({ name: "Mail", kind: "email", secret: "smtp://127.0.0.1:2525", settings: { from: "x" } });
    expect(email.status).toBe(400);
    expect(email.body.issues?.map((i) => i.field).sort()).toEqual(["settings.from", "settings.recipients"]);
    const unknown = await createChannel({ ...webhook(), colour: "red" });
    expect(unknown.status).toBe(400);
    expect(await t.db.notificationChannel.count()).toBe(0);
  });

  it("is for admins only: a viewer and an operator get 403 and change nothing", async () => {
    expect((await createChannel(webhook(), "VIEWER")).status).toBe(403);
    expect((await createChannel(webhook(), "OPERATOR")).status).toBe(403);
    expect((await channelsRoute.GET(send("VIEWER", "GET", "/api/notifications/channels"), undefined)).status).toBe(403);
    expect((await logRoute.GET(send("OPERATOR", "GET", "/api/notifications/log"), undefined)).status).toBe(403);
    const { body } = await createChannel();
    expect((await testRoute.POST(send("VIEWER", "POST", `/api/notifications/channels/${body.id}/test`), params(body.id))).status).toBe(403);
    expect(received).toHaveLength(0);
  });
});

describe("Send test", () => {
  it("sends a signed test message to the receiver and answers delivered, audited without the secret", async () => {
    const { body } = await createChannel();
    const res = await json<{ delivered: boolean; detail: string | null }>(await testRoute.POST(send("ADMIN", "POST", `/api/notifications/channels/${body.id}/test`), params(body.id)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, detail: "HTTP 200" });
    expect(received).toHaveLength(1);
    expect(received[0]?.headers[IDEMPOTENCY_HEADER.toLowerCase()]).toMatch(/^test-/);
    expect(JSON.parse(received[0]?.body ?? "{}")).toMatchObject({ test: true });
    const audit = await t.db.auditEntry.findMany({ where: { action: "notification-channel.test" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after, a.note]))).not.toMatch(/s3cret|TOKENPATH/);
    expect(await t.db.notification.count()).toBe(0);
  });

  it("answers the reason when the receiver refuses, without the secret URL", async () => {
    const { body } = await createChannel(webhook(hookUrl, "another-signing-secret-xyz"));
    const res = await json<{ delivered: boolean; retryable: boolean; detail: string }>(await testRoute.POST(send("ADMIN", "POST", `/api/notifications/channels/${body.id}/test`), params(body.id)));
    expect(res.body).toMatchObject({ delivered: false, retryable: false });
    expect(res.body.detail).toContain("401");
    expect(res.body.detail).not.toContain("TOKENPATH");
  });

  it("answers 404 for a channel that does not exist", async () => {
    expect((await testRoute.POST(send("ADMIN", "POST", "/api/notifications/channels/999/test"), params(999))).status).toBe(404);
  });
});

describe("rules and maintenance windows", () => {
  it("creates, lists, changes and deletes a rule; an unknown channel is a field issue", async () => {
    const { body: channel } = await createChannel();
    const created = await json<{ id: number }>(await rulesRoute.POST(send("ADMIN", "POST", "/api/notifications/rules", { channelId: channel.id, triggers: ["opened", "high"], severities: ["HIGH"], dailyLimit: 10, timeZone: "Europe/Stockholm" }), undefined));
    expect(created.status).toBe(201);
    const changed = await json(await ruleRoute.PATCH(send("ADMIN", "PATCH", `/api/notifications/rules/${created.body.id}`, { dailyLimit: 20, codes: ["4.4.316"] }), params(created.body.id)));
    expect(changed.body).toMatchObject({ dailyLimit: 20, codes: ["4.4.316"], triggers: ["opened", "high"] });
    const listed = await json<{ rules: unknown[] }>(await rulesRoute.GET(send("ADMIN", "GET", "/api/notifications/rules"), undefined));
    expect(listed.body.rules).toHaveLength(1);
    const bad = await json(await rulesRoute.POST(send("ADMIN", "POST", "/api/notifications/rules", { channelId: 999, timeZone: "Mars/Olympus" }), undefined));
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.field)).toEqual(["timeZone"]);
    const noChannel = await json(await rulesRoute.POST(send("ADMIN", "POST", "/api/notifications/rules", { channelId: 999 }), undefined));
    expect(noChannel.body.issues?.map((i) => i.field)).toEqual(["channelId"]);
    expect((await ruleRoute.DELETE(send("ADMIN", "DELETE", `/api/notifications/rules/${created.body.id}`), params(created.body.id))).status).toBe(204);
    expect((await ruleRoute.DELETE(send("ADMIN", "DELETE", `/api/notifications/rules/${created.body.id}`), params(created.body.id))).status).toBe(404);
  });

  it("plans, lists and deletes a maintenance window; one that ends before it starts is refused", async () => {
    const connector = await createConnector(t.db);
    const start = new Date(Date.now() + 3600_000);
    const window = { connectorId: connector.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 7200_000).toISOString(), reason: "Certificate swap" };
    const created = await json<{ id: number }>(await windowsRoute.POST(send("ADMIN", "POST", "/api/notifications/maintenance", window), undefined));
    expect(created.status).toBe(201);
    const backwards = await json(await windowsRoute.POST(send("ADMIN", "POST", "/api/notifications/maintenance", { ...window, endsAt: window.startsAt }), undefined));
    expect(backwards.status).toBe(400);
    expect(backwards.body.issues?.map((i) => i.field)).toEqual(["endsAt"]);
    expect((await windowsRoute.POST(send("OPERATOR", "POST", "/api/notifications/maintenance", window), undefined)).status).toBe(403);
    const listed = await json<{ windows: { reason: string }[] }>(await windowsRoute.GET(send("ADMIN", "GET", "/api/notifications/maintenance"), undefined));
    expect(listed.body.windows.map((w) => w.reason)).toEqual(["Certificate swap"]);
    expect((await windowRoute.DELETE(send("ADMIN", "DELETE", `/api/notifications/maintenance/${created.body.id}`), params(created.body.id))).status).toBe(204);
    expect(await t.db.maintenanceWindow.count()).toBe(0);
  });
});

describe("the log", () => {
  it("pages newest first by ?before= and filters by state", async () => {
    const { body: channel } = await createChannel();
    const connector = await createConnector(t.db);
    for (let i = 1; i <= 5; i++) {
      await t.db.notification.create({ data: { key: `k-${i}`, channelId: channel.id, trigger: "opened", connectorId: connector.id, errorCode: "4.4.316", alertIds: [], payload: {}, state: i === 5 ? "RETRYING" : "DELIVERED", nextAttemptAt: new Date() } });
    }
    type Page = { entries: { key: string; state: string }[]; nextBefore: number | null };
    const first = await json<Page>(await logRoute.GET(send("ADMIN", "GET", "/api/notifications/log?limit=2"), undefined));
    expect(first.body.entries.map((e) => e.key)).toEqual(["k-5", "k-4"]);
    const second = await json<Page>(await logRoute.GET(send("ADMIN", "GET", `/api/notifications/log?limit=2&before=${first.body.nextBefore}`), undefined));
    expect(second.body.entries.map((e) => e.key)).toEqual(["k-3", "k-2"]);
    const last = await json<Page>(await logRoute.GET(send("ADMIN", "GET", `/api/notifications/log?limit=2&before=${second.body.nextBefore}`), undefined));
    expect(last.body).toMatchObject({ entries: [{ key: "k-1" }], nextBefore: null });
    const retrying = await json<Page>(await logRoute.GET(send("ADMIN", "GET", "/api/notifications/log?state=RETRYING"), undefined));
    expect(retrying.body.entries.map((e) => e.key)).toEqual(["k-5"]);
    expect((await logRoute.GET(send("ADMIN", "GET", "/api/notifications/log?limit=0"), undefined)).status).toBe(400);
  });
});

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return typeof value === "string" ? value : null;
}
