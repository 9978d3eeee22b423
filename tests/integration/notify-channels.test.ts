import http from "node:http";
import net from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { senders } from "@/lib/notify/channels";
import { sendEmail } from "@/lib/notify/channels/email";
import { sendWebhook, verifyWebhook, webhookSecret } from "@/lib/notify/channels/webhook";
import type { ChannelConfig, NotificationMessage, NotifiedAlert } from "@/lib/notify/types";
import { closedPort } from "@/tests/lab/tcp-faults";

// The channels through real sockets on loopback: an SMTP server (the smtp-server library) that keeps
// every raw message, read back with mailparser; an HTTP receiver that verifies the webhook signature,
// answers 500 or 404, or never answers; a closed port. Every wait is bounded by a short time limit.

const LOOPBACK = "127.0.0.1";
const SIGNING_SECRET = "loopback-signing-secret-0123456789";
const SHORT_MS = 700;

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };

let smtp: SMTPServer;
let smtpPort = 0;
const mails: { to: string[]; raw: Buffer }[] = [];
let web: http.Server;
let webBase = "";
const requests: Received[] = [];
const sockets = new Set<net.Socket>();
let silent: net.Server;
let silentPort = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const local = address.address.split("@")[0];
      if (local === "gone") return callback(Object.assign(new Error("5.1.1 <gone@example.com>: Recipient address rejected: User unknown"), { responseCode: 550 }));
      if (local === "later") return callback(Object.assign(new Error("4.3.0 Mailbox temporarily unavailable"), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  smtpPort = await listen(smtp.server as net.Server);

  web = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      requests.push({ path, headers: req.headers, body });
      if (path.startsWith("/hook/ok")) {
        const valid = verifyWebhook(SIGNING_SECRET, { timestamp: header(req, "x-mailflow-timestamp"), signature: header(req, "x-mailflow-signature") }, body);
        res.writeHead(valid ? 204 : 401).end(valid ? undefined : "bad signature");
      } else if (path.startsWith("/hook/fail")) res.writeHead(500, { "content-type": "text/plain" }).end(`internal error at ${path}`);
      else if (path.startsWith("/hook/hang")) return; // never answers; closed in afterAll
      else if (path.startsWith("/teams") || path.startsWith("/slack")) res.writeHead(202).end();
      else res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    });
  });
  web.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  webBase = `http://${LOOPBACK}:${await listen(web)}`;

  silent = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  silentPort = await listen(silent);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([
    new Promise<void>((resolve) => smtp?.close(() => resolve())),
    new Promise<void>((resolve) => web?.close(() => resolve())),
    new Promise<void>((resolve) => silent?.close(() => resolve())),
  ]);
});

describe("email", () => {
  it("delivers one message in the channel's language with both parts, the link and the Message-ID", async () => {
    const before = mails.length;
    const outcome = await senders.email(emailChannel("sv", ["ops@example.com", "bo@example.se"]), buildMessage({ key: "n-101-opened" }), AbortSignal.timeout(10_000));
    expect(outcome).toMatchObject({ ok: true });
    expect(mails).toHaveLength(before + 1);
    const mail = mails.at(-1)!;
    expect(mail.to).toEqual(["ops@example.com", "bo@example.se"]);
    expect(mail.raw.toString("latin1")).toMatch(/Content-Type: multipart\/alternative/i);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe("[Mailflow] Avisering öppnad: Anslutningen nekades för To on-premises Exchange");
    expect(parsed.messageId).toBe("<n-101-opened@mailflow>");
    expect(parsed.from?.text).toBe("mailflow@example.com");
    expect(parsed.text).toContain("Öppna aviseringen: http://127.0.0.1:3000/alerts/101");
    expect(parsed.text).toContain("Köade meddelanden: 1\u00a0234");
    expect(parsed.text).toContain("<script>alert(1)</script>");
    expect(parsed.html).toContain('<a href="http://127.0.0.1:3000/alerts/101">Öppna aviseringen</a>');
    expect(parsed.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(parsed.html).not.toContain("<script>");
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(parsed.headers.get("content-language")).toBe("sv");
  });

  it("writes English for an English channel", async () => {
    await senders.email(emailChannel("en", ["ops@example.com"]), buildMessage({ key: "n-102", trigger: "resolved", alerts: [buildAlert({ resolvedAt: "2026-12-01T12:00:00.000Z" })] }), AbortSignal.timeout(10_000));
    const parsed = await simpleParser(mails.at(-1)!.raw);
    expect(parsed.subject).toBe("[Mailflow] Alert resolved: Connection refused on To on-premises Exchange");
    expect(parsed.text).toContain("Resolved: Dec 1, 2026, 12:00:00 PM UTC");
  });

  it("gives up with the server's reply when the recipient is rejected with 550", async () => {
    const before = mails.length;
    const outcome = await senders.email(emailChannel("en", ["gone@example.com"]), buildMessage(), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringMatching(/^SMTP 550 5\.1\.1 <gone@example\.com>: Recipient address rejected: User unknown/) });
    expect(mails).toHaveLength(before);
  });

  it("retries when the recipient gets 451", async () => {
    const outcome = await senders.email(emailChannel("en", ["later@example.com"]), buildMessage(), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: false, retry: true, reason: expect.stringContaining("451 4.3.0 Mailbox temporarily unavailable") });
  });

  it("delivers to the accepted recipients and names the rejected one", async () => {
    const outcome = await senders.email(emailChannel("en", ["ops@example.com", "gone@example.com"]), buildMessage(), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: true, detail: "accepted by 1, rejected: gone@example.com" });
  });

  it("retries a refused connection and a server that never greets, without the password in the reason", async () => {
    const closed = await closedPort();
    const refused = await senders.email(emailChannel("en", ["ops@example.com"], `smtp://user:hunter2secret@${LOOPBACK}:${closed.port}`), buildMessage(), AbortSignal.timeout(10_000));
    expect(refused).toMatchObject({ ok: false, retry: true, reason: expect.stringContaining("ECONNREFUSED") });
    const started = Date.now();
    const silentOutcome = await sendEmail(emailChannel("en", ["ops@example.com"], `smtp://${LOOPBACK}:${silentPort}`), buildMessage(), AbortSignal.timeout(10_000), { timeoutMs: SHORT_MS });
    expect(silentOutcome).toMatchObject({ ok: false, retry: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const o of [refused, silentOutcome]) expect(JSON.stringify(o)).not.toContain("hunter2secret");
  });

  it("gives up on an SMTP URL that is not one", async () => {
    expect(await senders.email(emailChannel("en", ["ops@example.com"], "http://example.com"), buildMessage(), AbortSignal.timeout(1_000))).toMatchObject({ ok: false, retry: false, reason: expect.stringContaining("invalid SMTP URL") });
  });
});

describe("webhook", () => {
  it("is received with a signature the receiver verifies, the timestamp and the idempotency key", async () => {
    const outcome = await senders.webhook(webhookChannel(`${webBase}/hook/ok`), buildMessage({ key: "n-201" }), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: true, detail: "HTTP 204" });
    const request = requests.at(-1)!;
    expect(request.headers["idempotency-key"]).toBe("n-201");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["x-mailflow-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(request.body)).toMatchObject({ version: 1, id: "n-201", trigger: "opened", alerts: [{ alertId: 101, url: "http://127.0.0.1:3000/alerts/101" }] });
  });

  it("is refused by the receiver when signed with another secret (given up: 401)", async () => {
    const channel = { ...webhookChannel(`${webBase}/hook/ok`), secret: webhookSecret({ url: `${webBase}/hook/ok`, signingSecret: "another-secret-0123456789" }) };
    expect(await senders.webhook(channel, buildMessage(), AbortSignal.timeout(10_000))).toEqual({ ok: false, retry: false, reason: "HTTP 401: bad signature" });
  });

  it("retries a 500 with the body, the URL's secret path redacted", async () => {
    const outcome = await senders.webhook(webhookChannel(`${webBase}/hook/fail/T0KEN`), buildMessage(), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: false, retry: true, reason: "HTTP 500: internal error at [redacted]" });
  });

  it("gives up on a 404", async () => {
    expect(await senders.webhook(webhookChannel(`${webBase}/nothing-here`), buildMessage(), AbortSignal.timeout(10_000))).toEqual({ ok: false, retry: false, reason: "HTTP 404: Not Found" });
  });

  it("retries a receiver that never answers, after its time limit", async () => {
    const started = Date.now();
    const outcome = await sendWebhook(webhookChannel(`${webBase}/hook/hang`), buildMessage(), AbortSignal.timeout(10_000), { timeoutMs: SHORT_MS });
    expect(outcome).toEqual({ ok: false, retry: true, reason: "no answer within 1 s" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("retries when the caller's signal aborts (the worker stopping)", async () => {
    const outcome = await senders.webhook(webhookChannel(`${webBase}/hook/hang`), buildMessage(), AbortSignal.timeout(SHORT_MS));
    expect(outcome).toMatchObject({ ok: false, retry: true, reason: expect.stringContaining("aborted") });
  });

  it("retries a refused connection", async () => {
    const closed = await closedPort();
    expect(await senders.webhook(webhookChannel(`http://${LOOPBACK}:${closed.port}/x`), buildMessage(), AbortSignal.timeout(10_000))).toEqual({ ok: false, retry: true, reason: "connection refused (ECONNREFUSED)" });
  });

  it("gives up on an invalid URL without quoting it", async () => {
    const outcome = await senders.webhook(webhookChannel("notaurl/secret-token"), buildMessage(), AbortSignal.timeout(1_000));
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(JSON.stringify(outcome)).not.toContain("secret-token");
  });
});

describe("Teams and Slack", () => {
  it("posts an Adaptive Card message to the Workflows URL", async () => {
    const outcome = await senders.teams(urlChannel("teams", `${webBase}/teams/workflow?sig=abc`), buildMessage({ key: "n-301" }), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: true, detail: "HTTP 202" });
    const request = requests.at(-1)!;
    expect(request.path).toBe("/teams/workflow?sig=abc");
    const body = JSON.parse(request.body) as { type: string; attachments: { contentType: string; content: { type: string; version: string; body: unknown[] } }[] };
    expect(body.type).toBe("message");
    expect(body.attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(body.attachments[0]?.content).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(request.body).toContain("http://127.0.0.1:3000/alerts/101");
  });

  it("posts text and blocks to the Slack webhook", async () => {
    const outcome = await senders.slack(urlChannel("slack", `${webBase}/slack/services/T/B/X`), buildMessage(), AbortSignal.timeout(10_000));
    expect(outcome).toEqual({ ok: true, detail: "HTTP 202" });
    const body = JSON.parse(requests.at(-1)!.body) as { text: string; blocks: { type: string }[] };
    expect(body.text).toBe("[Mailflow] Alert opened: Connection refused on To on-premises Exchange");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "divider", "section", "context", "context"]);
  });
});

function buildAlert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    alertId: 101,
    connector: "To on-premises Exchange",
    connectorId: 1,
    code: "4.4.316",
    severity: "HIGH",
    status: "ACTIVE",
    firstSeenAt: "2026-12-01T10:00:00.000Z",
    lastSeenAt: "2026-12-01T11:30:00.000Z",
    resolvedAt: null,
    queuedCount: 1234,
    expiredCount: 0,
    latestDetails: "450 4.4.316 Connection refused <script>alert(1)</script>",
    url: "http://127.0.0.1:3000/alerts/101",
    ...overrides,
  };
}

function buildMessage(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return { key: "n-101", trigger: "opened", at: "2026-12-01T11:30:05.000Z", alerts: [buildAlert()], ...overrides };
}

function emailChannel(language: "en" | "sv", recipients: string[], secret = `smtp://${LOOPBACK}:${smtpPort}`): ChannelConfig {
  return { id: 1, name: "Ops mail", kind: "email", language, settings: { from: "mailflow@example.com", recipients }, secret };
}

function webhookChannel(url: string): ChannelConfig {
  return { id: 2, name: "Receiver", kind: "webhook", language: "en", settings: {}, secret: webhookSecret({ url, signingSecret: SIGNING_SECRET }) };
}

function urlChannel(kind: "teams" | "slack", url: string): ChannelConfig {
  return { id: 3, name: kind, kind, language: "en", settings: {}, secret: url };
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}
