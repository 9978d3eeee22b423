import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyHttpStatus, classifyNetworkError, classifySmtpError, excerpt, redact } from "@/lib/notify/channels/outcome";
import { channelTarget, validateChannel } from "@/lib/notify/channels";
import { parseWebhookSecret, signWebhook, verifyWebhook, webhookRequest, webhookSecret, renderWebhook } from "@/lib/notify/channels/webhook";

describe("HTTP outcomes", () => {
  it.each([200, 201, 202, 204])("%i is delivered", (status) => expect(classifyHttpStatus(status, "")).toEqual({ ok: true, detail: `HTTP ${status}` }));
  it.each([408, 429, 500, 502, 503, 504])("%i is retried with the status and body", (status) =>
    expect(classifyHttpStatus(status, "busy")).toEqual({ ok: false, retry: true, reason: `HTTP ${status}: busy` }),
  );
  it.each([400, 401, 403, 404, 410, 413, 422])("%i is given up", (status) => expect(classifyHttpStatus(status, "")).toEqual({ ok: false, retry: false, reason: `HTTP ${status}` }));
  it("gives up on a redirect, saying why", () => expect(classifyHttpStatus(301, "")).toMatchObject({ retry: false, reason: expect.stringContaining("redirects are not followed") }));
});

describe("network outcomes", () => {
  const fetchFailed = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(`connect ${code}`), { code }) });
  it("retries a refused, reset or unreachable connection with its code", () => {
    expect(classifyNetworkError(fetchFailed("ECONNREFUSED"), false, 10_000)).toEqual({ ok: false, retry: true, reason: "connection refused (ECONNREFUSED)" });
    expect(classifyNetworkError(fetchFailed("ECONNRESET"), false, 10_000)).toMatchObject({ retry: true, reason: "connection reset (ECONNRESET)" });
    expect(classifyNetworkError(fetchFailed("EWHATEVER"), false, 10_000)).toMatchObject({ retry: true, reason: "network error (EWHATEVER)" });
  });
  it("retries our own time limit and the caller's abort", () => {
    const abort = new DOMException("aborted", "AbortError");
    expect(classifyNetworkError(abort, true, 2500)).toEqual({ ok: false, retry: true, reason: "no answer within 3 s" });
    expect(classifyNetworkError(abort, false, 2500)).toMatchObject({ retry: true, reason: expect.stringContaining("aborted") });
  });
});

describe("SMTP outcomes", () => {
  const smtpError = (responseCode: number, response: string, permanent?: boolean) =>
    Object.assign(new Error(`Can't send mail - all recipients were rejected: ${response}`), { code: "EENVELOPE", responseCode, response, command: "RCPT TO", permanent });
  it("gives up on a 5xx recipient refusal with the server's reply", () =>
    expect(classifySmtpError(smtpError(550, "550 5.1.1 <a@b.se>: Recipient address rejected", true))).toEqual({
      ok: false,
      retry: false,
      reason: "SMTP 550 5.1.1 <a@b.se>: Recipient address rejected (in reply to RCPT)",
    }));
  it("retries a 4xx", () => expect(classifySmtpError(smtpError(451, "451 4.3.0 Try later", false))).toMatchObject({ retry: true, reason: expect.stringContaining("451 4.3.0 Try later") }));
  it("falls back on the reply class without nodemailer's flag", () => {
    expect(classifySmtpError(smtpError(554, "554 no"))).toMatchObject({ retry: false });
    expect(classifySmtpError(smtpError(503, "503 bad sequence"))).toMatchObject({ retry: true });
  });
  it("retries connection trouble and gives up on failed authentication", () => {
    expect(classifySmtpError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ESOCKET", originalCode: "ECONNREFUSED" }))).toMatchObject({ retry: true, reason: "connection refused (ECONNREFUSED)" });
    expect(classifySmtpError(Object.assign(new Error("Greeting never received"), { code: "ETIMEDOUT" }))).toMatchObject({ retry: true });
    expect(classifySmtpError(Object.assign(new Error("Invalid login"), { code: "EAUTH" }))).toMatchObject({ retry: false });
  });
});

describe("redaction", () => {
  it("removes the secret URL, its path and its password from a text", () => {
    const secret = "https://hooks.example.com/services/T0/B0/XYZSECRET?sig=abc123";
    expect(redact(`posting to ${secret} failed; path /services/T0/B0/XYZSECRET?sig=abc123; sig=abc123`, secret)).not.toMatch(/XYZSECRET|abc123/);
    expect(redact("535 auth failed for s3cret", "smtp://user:s3cret@mail.example.com")).toBe("535 auth failed for [redacted]");
  });
  it("keeps excerpts short and on one line", () => {
    expect(excerpt("a\nb")).toBe("a b");
    expect(excerpt("x".repeat(500))).toHaveLength(201);
  });
});

describe("webhook signature", () => {
  const secret = "a-signing-secret-of-some-length";
  const message = { key: "n-1", trigger: "opened", at: "2026-12-01T10:00:00.000Z", alerts: [] } as const;
  const now = Date.parse("2026-12-01T10:00:03Z");

  it("is HMAC-SHA256 of timestamp.body, hex, prefixed sha256=", () => {
    const { body, headers } = webhookRequest(secret, renderWebhook({ name: "x", language: "en" }, message), now);
    expect(headers["X-Mailflow-Timestamp"]).toBe(String(Math.floor(now / 1000)));
    expect(headers["X-Mailflow-Signature"]).toBe(`sha256=${createHmac("sha256", secret).update(`${headers["X-Mailflow-Timestamp"]}.${body}`).digest("hex")}`);
    expect(headers["Idempotency-Key"]).toBe("n-1");
  });

  it("verifies, and refuses a changed body, another secret or an old timestamp", () => {
    const { body, headers } = webhookRequest(secret, renderWebhook({ name: "x", language: "en" }, message), now);
    const h = { timestamp: headers["X-Mailflow-Timestamp"], signature: headers["X-Mailflow-Signature"] };
    expect(verifyWebhook(secret, h, body, now)).toBe(true);
    expect(verifyWebhook(secret, h, body.replace("opened", "closed"), now)).toBe(false);
    expect(verifyWebhook("another-secret-entirely", h, body, now)).toBe(false);
    expect(verifyWebhook(secret, h, body, now + 10 * 60_000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: null, signature: h.signature }, body, now)).toBe(false);
  });

  it("matches the receiver's snippet in docs/notifications-channels.md", () => {
    const verify = docsSnippet();
    const body = '{"hello":"wörld"}';
    const timestamp = String(Math.floor(now / 1000));
    const signature = signWebhook(secret, timestamp, body);
    expect(verify(secret, timestamp, signature, body, now)).toBe(true);
    expect(verify(secret, timestamp, signature, body + " ", now)).toBe(false);
    expect(verify(secret, timestamp, signature.replace(/.$/, (c) => (c === "0" ? "1" : "0")), body, now)).toBe(false);
    expect(verify(secret, String(Number(timestamp) - 301), signWebhook(secret, String(Number(timestamp) - 301), body), body, now)).toBe(false);
  });

  it("is stored with the URL in the channel's secret", () => {
    expect(parseWebhookSecret(webhookSecret({ url: "https://r.example.com/h", signingSecret: secret }))).toEqual({ url: "https://r.example.com/h", signingSecret: secret });
    expect(parseWebhookSecret("https://r.example.com/h")).toBeNull();
  });
});

describe("validateChannel", () => {
  it("accepts good settings of every kind", () => {
    expect(validateChannel("email", { from: "mailflow@example.com", recipients: ["ops@example.com", "bo@contoso.se"] }, "smtps://u:p@smtp.example.com:465")).toEqual([]);
    expect(validateChannel("webhook", {}, webhookSecret({ url: "https://r.example.com/h", signingSecret: "x".repeat(16) }))).toEqual([]);
    expect(validateChannel("teams", {}, "https://prod-01.westeurope.logic.azure.com/workflows/abc")).toEqual([]);
    expect(validateChannel("slack", {}, "https://hooks.slack.com/services/T/B/X")).toEqual([]);
    expect(validateChannel("alertmanager", { baseUrl: "http://127.0.0.1:9093" }, null)).toEqual([]);
  });

  it("names each bad field", () => {
    const fields = (issues: { field: string }[]) => issues.map((i) => i.field);
    expect(fields(validateChannel("email", { from: "nobody", recipients: ["ok@example.com", "not an address"] }, "http://smtp.example.com"))).toEqual(["secret", "settings.from", "settings.recipients"]);
    expect(fields(validateChannel("email", { from: "a@example.com", recipients: [] }, "smtp://smtp.example.com"))).toEqual(["settings.recipients"]);
    expect(fields(validateChannel("webhook", {}, webhookSecret({ url: "ftp://x", signingSecret: "short" })))).toEqual(["secret.url", "secret.signingSecret"]);
    expect(fields(validateChannel("webhook", {}, null))).toEqual(["secret.url", "secret.signingSecret"]);
    expect(fields(validateChannel("teams", {}, "not a url"))).toEqual(["secret"]);
    expect(fields(validateChannel("slack", {}, "https://user:pw@hooks.example.com/x"))).toEqual(["secret"]);
    expect(fields(validateChannel("slack", {}, "https://"))).toEqual(["secret"]);
    expect(fields(validateChannel("alertmanager", { baseUrl: "javascript:alert(1)" }, null))).toEqual(["settings.baseUrl"]);
  });
});

describe("channelTarget", () => {
  it("finds the URL a channel delivers to, for a hint", () => {
    expect(channelTarget("webhook", {}, webhookSecret({ url: "https://r.example.com/h", signingSecret: "x".repeat(16) }))).toBe("https://r.example.com/h");
    expect(channelTarget("slack", {}, "https://hooks.slack.com/services/T/B/X")).toBe("https://hooks.slack.com/services/T/B/X");
    expect(channelTarget("email", {}, "smtp://smtp.example.com")).toBe("smtp://smtp.example.com");
    expect(channelTarget("alertmanager", { baseUrl: "http://127.0.0.1:9093" }, null)).toBe("http://127.0.0.1:9093");
    expect(channelTarget("webhook", {}, "garbage")).toBeNull();
  });
});

type Verify = (secret: string, timestamp: string, signature: string, body: string, now?: number) => boolean;

/** The docs' JavaScript receiver, run as written (its import replaced by the same functions). */
function docsSnippet(): Verify {
  const docs = readFileSync(path.resolve(import.meta.dirname, "../../docs/notifications-channels.md"), "utf8");
  const block = /```js\n([\s\S]*?verifyMailflowSignature[\s\S]*?)```/.exec(docs)?.[1];
  if (!block) throw new Error("no verification snippet in the docs");
  const code = block.replace(/^import .*$/m, "").replace(/^export /m, "");
  return new Function("createHmac", "timingSafeEqual", `${code}\nreturn verifyMailflowSignature;`)(createHmac, timingSafeEqual) as Verify;
}
