import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyPostfixReason } from "@/lib/classify/postfix";
import { readPostfixLog } from "@/lib/sources/postfix/follow";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { postfixUnavailable } from "@/tests/lab/postfix";
import { POSTFIX_CASES, POSTFIX_LAB_LIMIT_MS, runPostfixLab, type PostfixCase, type PostfixLabRun } from "@/tests/lab/postfix-run";

// A real Postfix (Debian's package, its own instance) relaying to the fault lab, one shared run of
// about a minute: every message is delivered, bounced, or deferred, retried and expired. The
// assertions read Postfix's own log: each fault's reason text and status as Postfix wrote them, and
// the code the one classification gives that text. CI installs postfix and runs as root, so the
// file only skips where Postfix cannot run at all.

type Expected = Readonly<{ outcome: "sent" | "bounced" | "expired"; reason: RegExp; code: string | null }>;

const PEER = String.raw`127\.0\.0\.1\[127\.0\.0\.1\]`;

const EXPECTED: Readonly<Record<PostfixCase, Expected>> = {
  healthy: { outcome: "sent", reason: /^250 2\.0\.0 Ok: queued as SINK\d+$/, code: null },
  healthyByName: { outcome: "sent", reason: /^250 2\.0\.0 Ok: queued as SINK\d+$/, code: null },
  refused: { outcome: "expired", reason: new RegExp(`^connect to ${PEER}:\\d+: Connection refused$`), code: "4.4.316" },
  connectTimeout: { outcome: "expired", reason: new RegExp(`^connect to ${PEER}:\\d+: Connection timed out$`), code: "4.4.315" },
  neverGreets: { outcome: "expired", reason: new RegExp(`^conversation with ${PEER} timed out while receiving the initial server greeting$`), code: "4.4.318" },
  greetingRefused: { outcome: "expired", reason: new RegExp(`^host ${PEER} refused to talk to me: 554 5\\.7\\.1 mail\\.lab\\.test refuses to talk to you$`), code: "4.4.317" },
  closesAfterEhlo: { outcome: "expired", reason: new RegExp(`^lost connection with ${PEER} while (?:receiving the STARTTLS response|sending STARTTLS)$`), code: "4.4.318" },
  closesInTlsHandshake: { outcome: "expired", reason: /^Cannot start TLS: handshake failure$/, code: "4.4.317" },
  noStarttls: { outcome: "expired", reason: new RegExp(`^TLS is required, but was not offered by host ${PEER}$`), code: "4.4.317" },
  starttlsRefused: { outcome: "expired", reason: new RegExp(`^TLS is required, but host ${PEER} refused to start TLS: 454 4\\.7\\.0 TLS not available due to temporary reason$`), code: "4.4.317" },
  rcptBusy: { outcome: "expired", reason: new RegExp(`^host ${PEER} said: 450 4\\.2\\.0 Mailbox busy \\(in reply to RCPT TO command\\)$`), code: "4.2.0" },
  rcptUnknown: { outcome: "bounced", reason: new RegExp(`^host ${PEER} said: 550 5\\.1\\.1 <nobody@rcpt-unknown\\.lab\\.test>: Recipient address rejected: User unknown \\(in reply to RCPT TO command\\)$`), code: "5.1.1" },
  dataRefused: { outcome: "bounced", reason: new RegExp(`^host ${PEER} said: 554 5\\.7\\.1 The lab accepts no message content \\(in reply to DATA command\\)$`), code: "5.7.1" },
  certExpired: { outcome: "expired", reason: /^Server certificate not verified$/, code: "4.7.320" },
  certSelfSigned: { outcome: "expired", reason: /^Server certificate not verified$/, code: "4.7.320" },
  certWrongName: { outcome: "expired", reason: /^Server certificate not verified$/, code: "4.7.320" },
  certUntrustedCa: { outcome: "expired", reason: /^Server certificate not verified$/, code: "4.7.320" },
  dnsServfail: { outcome: "expired", reason: /^Host or domain name not found\. Name service error for name=servfail\.lab\.test type=A: Host not found, try again$/, code: "4.4.312" },
  dnsNxdomain: { outcome: "bounced", reason: /^Host or domain name not found\. Name service error for name=gone\.lab\.test type=A: Host not found$/, code: "4.4.312" },
  dnsTimeout: { outcome: "expired", reason: /^Host or domain name not found\. Name service error for name=silent\.lab\.test type=A: Host not found, try again$/, code: "4.4.312" },
};

/** What `smtp` wrote just before the deferral: the certificate's own failure. */
const CERTIFICATE_FAILURE: Readonly<Partial<Record<PostfixCase, string>>> = {
  certExpired: "certificate has expired",
  certSelfSigned: "self-signed certificate",
  certWrongName: "num=62:hostname mismatch",
  certUntrustedCa: "untrusted issuer /CN=Untrusted Lab CA",
};

const unavailable = postfixUnavailable();
let run: PostfixLabRun;

describe.skipIf(unavailable !== null)(`a real Postfix against the fault lab${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  beforeAll(async () => {
    run = await runPostfixLab();
  }, POSTFIX_LAB_LIMIT_MS + 60_000);

  it.each(POSTFIX_CASES)("%s: Postfix's reason, status and classified code", (key) => {
    const expected = EXPECTED[key];
    const lines = deliveriesTo(run, `user@${run.domains[key]}`);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.reason).toMatch(expected.reason);
    // Postfix names the next hop it was given (relay=none when the name did not resolve).
    const nexthopPort = /:(\d+)$/.exec(run.nexthops[key])?.[1];
    for (const { relay } of lines) expect(relay === "none" || relay.endsWith(`]:${nexthopPort}`)).toBe(true);
    const statuses = lines.map((line) => line.status);
    if (expected.outcome === "sent") expect(statuses).toEqual(["sent"]);
    if (expected.outcome === "bounced") {
      expect(statuses).toEqual(["bounced"]);
      expect(lines[0]!.dsn).toMatch(/^5\./);
    }
    if (expected.outcome === "expired") {
      // Retried at least once, never delivered, then given up on by Postfix's queue lifetime.
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      expect(new Set(statuses)).toEqual(new Set(["deferred"]));
      expect(lines[0]!.dsn).toMatch(/^4\./);
    }
    const expiry = new RegExp(`qmgr\\[\\d+\\]: ${queueIdOf(run, run.messageIds[key])}: from=<${escape(run.sender)}>, status=expired, returned to sender`);
    if (expected.outcome === "expired") expect(run.log).toMatch(expiry);
    else expect(run.log).not.toMatch(expiry);
    if (expected.code) expect(classifyPostfixReason(lines[0]!.reason, lines[0]!.dsn).code).toBe(expected.code);
  });

  it("returns every undelivered message to its sender, and the notice is delivered", () => {
    const notices = POSTFIX_CASES.filter((key) => EXPECTED[key].outcome !== "sent").map((key) => {
      const queueId = queueIdOf(run, run.messageIds[key]);
      const notice = new RegExp(`bounce\\[\\d+\\]: ${queueId}: sender non-delivery notification: ([0-9A-F]+)`).exec(run.log)?.[1];
      expect(notice, key).toBeDefined();
      return notice!;
    });
    for (const notice of notices) expect(run.log).toMatch(new RegExp(`smtp\\[\\d+\\]: ${notice}: to=<${escape(run.sender)}>, .*status=sent`));
    expect(run.accepted.filter((message) => message.from === "").length).toBe(notices.length + 1);
  });

  it("delivers one recipient of a two-recipient message and expires the other", () => {
    const [healthy, busy] = run.twoRecipients;
    expect(deliveriesTo(run, healthy).map((line) => line.status)).toEqual(["sent"]);
    const deferred = deliveriesTo(run, busy);
    expect(deferred.length).toBeGreaterThanOrEqual(2);
    expect(deferred.every((line) => line.status === "deferred" && EXPECTED.rcptBusy.reason.test(line.reason))).toBe(true);
    const queueId = queueIdOf(run, run.messageIds.twoRecipients);
    expect(run.log).toMatch(new RegExp(`${queueId}: from=<${escape(run.sender)}>, size=\\d+, nrcpt=2 \\(queue active\\)`));
    expect(run.log).toMatch(new RegExp(`${queueId}: from=<${escape(run.sender)}>, status=expired, returned to sender`));
  });

  it("shows each deferred message in the queue with its reason while Postfix retries", () => {
    for (const key of POSTFIX_CASES) {
      const listed = run.queueWhileDeferred.includes(`user@${run.domains[key]}`);
      expect(listed, key).toBe(EXPECTED[key].outcome === "expired");
    }
    expect(run.queueWhileDeferred).toContain("(Server certificate not verified)");
    expect(run.queueWhileDeferred).toContain("(Cannot start TLS: handshake failure)");
    expect(run.queueWhileDeferred).toContain(run.twoRecipients[1]);
    expect(run.queueWhileDeferred).not.toContain(run.twoRecipients[0]);
  });

  it("logs why each certificate failed verification", () => {
    for (const [key, failure] of Object.entries(CERTIFICATE_FAILURE)) {
      const port = /:(\d+)$/.exec(deliveriesTo(run, `user@${run.domains[key as PostfixCase]}`)[0]!.relay)?.[1];
      expect(run.log, key).toContain(`certificate verification failed for 127.0.0.1[127.0.0.1]:${port}: ${failure}`);
    }
    expect(run.log).toMatch(/Verified TLS connection established to mail\.lab\.test\[127\.0\.0\.1\]:\d+/);
  });

  it("resolves names through the lab's DNS only, and retries a failed look-up", () => {
    expect(run.dnsQueries["mail.lab.test"]).toBeGreaterThanOrEqual(1);
    expect(run.dnsQueries["gone.lab.test"]).toBe(1);
    expect(run.dnsQueries["servfail.lab.test"]).toBeGreaterThanOrEqual(2);
    expect(deliveriesTo(run, `user@${run.domains.healthyByName}`)[0]!.relay).toMatch(/^mail\.lab\.test\[127\.0\.0\.1\]:\d+$/);
  });

  describe("imported by the product (npm run source:postfix's reader)", () => {
    let t: TestDatabase;
    let dir: string;
    const ids = new Map<PostfixCase, number>();

    beforeAll(async () => {
      t = await createAppTestDatabase();
      dir = await mkdtemp(path.join(os.tmpdir(), "mf-postfix-import-"));
      // One connector per case: its recipient domain, its next hop as the smart host, and the
      // Postfix's own queue lifetime, so only Postfix's expiries expire anything.
      for (const key of POSTFIX_CASES) {
        const nexthop = /^\[([^\]]+)\]:(\d+)$/.exec(run.nexthops[key])!;
        const created = await t.db.connector.create({
          data: { name: key, kind: "PARTNER", recipientDomains: [run.domains[key]], smartHosts: [`${nexthop[1]}:${nexthop[2]}`], queueLifetimeMinutes: 60 },
        });
        ids.set(key, created.id);
      }
      const file = path.join(dir, "maillog");
      await writeFile(file, run.log);
      await readPostfixLog(t.db, file);
    });
    afterAll(async () => {
      await t?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it.each(POSTFIX_CASES)("%s: the alert and queue state the fault implies", async (key) => {
      const expected = EXPECTED[key];
      const connectorId = ids.get(key)!;
      const [alerts, messages, events] = await Promise.all([
        t.db.alert.findMany({ where: { connectorId } }),
        t.db.queuedMessage.findMany({ where: { connectorId, recipient: `user@${run.domains[key]}` } }),
        t.db.deliveryEvent.findMany({ where: { connectorId, recipient: `user@${run.domains[key]}` }, orderBy: { occurredAt: "asc" } }),
      ]);
      expect(events.length).toBe(deliveriesTo(run, `user@${run.domains[key]}`).length + (expected.outcome === "expired" ? 1 : 0));
      expect(events.every((e) => e.source === "postfix" && e.messageId === run.messageIds[key])).toBe(true);
      if (expected.outcome === "sent") {
        expect(alerts).toEqual([]);
        expect(messages).toEqual([]);
        return;
      }
      expect(alerts).toHaveLength(1);
      const [alert] = alerts;
      expect(alert!.errorCode).toBe(expected.code);
      expect(messages).toHaveLength(1);
      if (expected.outcome === "bounced") {
        expect(messages[0]).toMatchObject({ state: "FAILED", attempts: 1 });
        expect(alert).toMatchObject({ failedCount: 1, expiredCount: 0, queuedCount: 0 });
      } else {
        // Postfix's own expiry: EXPIRED at the time it returned the message, counted on the alert.
        const expiredAt = events.at(-1)!;
        expect(expiredAt.status).toBe("EXPIRED");
        expect(messages[0]).toMatchObject({ state: "EXPIRED", settledAt: expiredAt.occurredAt, ndrAt: expiredAt.occurredAt });
        expect(messages[0]!.attempts).toBeGreaterThanOrEqual(2);
        // rcptBusy's alert also holds the two-recipient message's deferred recipient.
        const expired = await t.db.queuedMessage.count({ where: { connectorId, state: "EXPIRED" } });
        expect(alert).toMatchObject({ expiredCount: expired, failedCount: 0, queuedCount: 0 });
        expect(expired).toBe(key === "rcptBusy" ? 2 : 1);
      }
      const certificate = CERTIFICATE_FAILURE[key];
      if (certificate) expect(alert!.latestDetails).toContain(certificate);
    });

    it("reads the log once: a second read adds nothing, and every delivery line became an event", async () => {
      const source = await t.db.eventSource.findFirstOrThrow();
      expect(await readPostfixLog(t.db, source.path!)).toMatchObject({ lines: 0, events: 0 });
      const deliveries = run.log.split("\n").filter((line) => /postfix\/smtp\[\d+\]: [0-9A-F]+: to=</.test(line)).length;
      const expiries = (run.log.match(/status=expired, returned to sender/g) ?? []).length;
      // Each expiry expires one still-deferred recipient here (the two-recipient message's one too).
      expect(Number(source.eventsMade)).toBe(deliveries + expiries);
      expect((source.skipped as Record<string, number>)["local relay"]).toBeUndefined();
    });
  });

  it("finishes within the run's limit", () => {
    expect(run.durationMs).toBeLessThan(POSTFIX_LAB_LIMIT_MS);
  });
});

type DeliveryLine = Readonly<{ relay: string; dsn: string; status: string; reason: string }>;

/** The smtp delivery lines for one recipient, in log order (the test's own reading, not the product's parser). */
function deliveriesTo(run: PostfixLabRun, recipient: string): DeliveryLine[] {
  const pattern = new RegExp(`postfix/smtp\\[\\d+\\]: [0-9A-F]+: to=<${escape(recipient)}>, relay=(\\S+), .*dsn=(\\S+), status=(\\w+) \\((.*)\\)$`);
  return run.log.split("\n").flatMap((line) => {
    const m = pattern.exec(line);
    return m ? [{ relay: m[1]!, dsn: m[2]!, status: m[3]!, reason: m[4]! }] : [];
  });
}

function queueIdOf(run: PostfixLabRun, messageId: string): string {
  const queueId = new RegExp(`cleanup\\[\\d+\\]: ([0-9A-F]+): message-id=<${escape(messageId)}>`).exec(run.log)?.[1];
  if (!queueId) throw new Error(`no queue id for <${messageId}> in the log`);
  return queueId;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
