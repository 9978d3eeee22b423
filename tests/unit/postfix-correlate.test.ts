import { describe, expect, it } from "vitest";
import type { EventInput } from "@/lib/events/schemas";
import { validateEvent } from "@/lib/events/validate";
import { newPostfixState, PostfixCorrelator, readPostfixLines, type PostfixOptions } from "@/lib/sources/postfix/correlate";
import { postfixRouter } from "@/lib/sources/postfix/route";

const CONTOSO = 1;
const FABRIKAM = 2;
const options: PostfixOptions = {
  route: postfixRouter([
    { id: CONTOSO, enabled: true, retired: false, recipientDomains: ["contoso.se"], smartHosts: ["mail.contoso.se"] },
    { id: FABRIKAM, enabled: true, retired: false, recipientDomains: ["fabrikam.com"], smartHosts: [] },
  ]),
};
const start = () => newPostfixState({ year: 2026, month: 11 });
const PEER = "mail.contoso.se[192.0.2.10]";
const QID = "4F9D195432";

/** A delivery line as smtp (or `program`) logs it. */
function delivery(time: string, to: string, status: string, reason: string, opts: { relay?: string; dsn?: string; program?: string; qid?: string } = {}): string {
  const { relay = `${PEER}:25`, dsn = "4.4.1", program = "smtp", qid = QID } = opts;
  return `Dec 01 ${time} mx1 postfix/${program}[2103]: ${qid}: to=<${to}>, relay=${relay}, delay=1.2, delays=0.05/0.01/1.1/0, dsn=${dsn}, status=${status} (${reason})`;
}

const QUEUED = [
  `Dec 01 13:55:00 mx1 postfix/cleanup[2102]: ${QID}: message-id=<20261201135500.${QID}@app1.contoso.se>`,
  `Dec 01 13:55:00 mx1 postfix/qmgr[1200]: ${QID}: from=<alerts@contoso.se>, size=4412, nrcpt=2 (queue active)`,
];

function read(lines: readonly string[]) {
  return readPostfixLines(lines, start(), options);
}

function only(lines: readonly string[]): EventInput {
  const { events } = read(lines);
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe("every reason text → its code, through the one classifier", () => {
  it.each([
    [`connect to ${PEER}:25: Connection refused`, "450 4.4.316"],
    [`connect to ${PEER}:25: Connection timed out`, "450 4.4.315"],
    [`connect to ${PEER}:25: No route to host`, "450 4.4.315"],
    [`lost connection with ${PEER} while receiving the initial server greeting`, "450 4.4.318"],
    [`conversation with ${PEER} timed out while receiving the initial server greeting`, "450 4.4.318"],
    ["Host or domain name not found. Name service error for name=x.contoso.se type=MX: Host not found, try again", "450 4.4.312"],
    [`host ${PEER} refused to talk to me: 554 5.7.1 Service unavailable; client [198.51.100.99] blocked`, "450 4.4.317"],
    ["Cannot start TLS: handshake failure", "450 4.4.317"],
    [`TLS is required, but was not offered by host ${PEER}`, "450 4.4.317"],
    [`TLS is required, but host ${PEER} refused to start TLS: 454 4.7.0 TLS not available due to local problem`, "450 4.4.317"],
    [`host ${PEER} said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)`, "452 4.2.2"],
    ["Server certificate not verified", "450 4.7.320"],
  ])("%s → %s", (reason, errorCode) => {
    const event = only([...QUEUED, delivery("13:55:14", "ann@contoso.se", "deferred", reason)]);
    expect(event).toMatchObject({ status: "deferred", errorCode, errorDetails: reason, connector: CONTOSO, recipient: "ann@contoso.se" });
    expect(validateEvent(event)).toMatchObject({ ok: true });
  });

  it("status=sent → delivered, with no code", () => {
    const event = only([...QUEUED, delivery("13:55:14", "ann@contoso.se", "sent", "250 2.0.0 Ok: queued as 8D7C6B5A4F", { dsn: "2.0.0" })]);
    expect(event).toEqual({
      id: expect.stringMatching(/^postfix:4F9D195432:0:[0-9a-f]{24}$/),
      occurredAt: "2026-12-01T13:55:14.000Z",
      connector: CONTOSO,
      messageId: `20261201135500.${QID}@app1.contoso.se`,
      sender: "alerts@contoso.se",
      recipient: "ann@contoso.se",
      status: "delivered",
      destination: `${PEER}:25`,
    });
  });

  it("status=bounced → failed with the server's own code", () => {
    const reason = `host ${PEER} said: 550 5.1.1 <jo@contoso.se>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)`;
    expect(only([delivery("13:55:14", "jo@contoso.se", "bounced", reason, { dsn: "5.1.1" })])).toMatchObject({ status: "failed", errorCode: "550 5.1.1", errorDetails: reason });
  });

  it("a text no rule knows keeps Postfix's dsn=", () => {
    expect(only([delivery("13:55:14", "ann@contoso.se", "bounced", "mail for contoso.se loops back to myself", { dsn: "5.4.6" })])).toMatchObject({ errorCode: "5.4.6" });
  });

  it("takes the certificate's reason from the `certificate verification failed` line before", () => {
    const event = only([
      `Dec 01 13:55:13 mx1 postfix/smtp[2103]: certificate verification failed for ${PEER}:25: untrusted issuer /CN=Contoso Internal CA`,
      delivery("13:55:14", "ann@contoso.se", "deferred", "Server certificate not verified", { dsn: "4.7.5" }),
    ]);
    expect(event).toMatchObject({ errorCode: "450 4.7.320", errorDetails: "Server certificate not verified: untrusted issuer /CN=Contoso Internal CA" });
  });

  it.each([
    ["server certificate verification failed for", "certificate has expired"],
    ["CA certificate verification failed for", "certificate has expired"],
    ["certificate verification failed for", "self-signed certificate"],
    ["server certificate verification failed for", "num=10:certificate has expired"],
  ])("reads `%s PEER: %s` as tls_verify.c writes it", (prefix, why) => {
    const event = only([
      `Dec 01 13:55:13 mx1 postfix/smtp[2103]: ${prefix} ${PEER}:25: ${why}`,
      delivery("13:55:14", "ann@contoso.se", "deferred", "Server certificate not verified", { dsn: "4.7.5" }),
    ]);
    expect(event.errorDetails).toBe(`Server certificate not verified: ${why}`);
  });

  it("a certificate reason of another server is not taken", () => {
    const event = only([
      "Dec 01 13:55:13 mx1 postfix/smtp[2103]: certificate verification failed for mx.other.example[198.51.100.1]:25: certificate has expired",
      delivery("13:55:14", "ann@contoso.se", "deferred", "Server certificate not verified", { dsn: "4.7.5" }),
    ]);
    expect(event.errorDetails).toBe("Server certificate not verified");
  });
});

describe("delivery temporarily suspended", () => {
  it("unwraps the reason postfix/error logs (relay=none) and names the server from it", () => {
    const inner = `connect to ${PEER}:25: Connection refused`;
    const event = only([delivery("13:55:14", "ann@contoso.se", "deferred", `delivery temporarily suspended: ${inner}`, { relay: "none", program: "error" })]);
    expect(event).toMatchObject({ status: "deferred", errorCode: "450 4.4.316", errorDetails: inner, destination: `${PEER}:25` });
  });
});

describe("expiry: status=expired, returned to sender", () => {
  const EXPIRED = `Dec 06 13:55:30 mx1 postfix/qmgr[1200]: ${QID}: from=<alerts@contoso.se>, status=expired, returned to sender`;

  it("expires the queue id's still-deferred recipients only, at that line's time, with their last deferral's code", () => {
    const { events } = read([
      ...QUEUED,
      delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
      delivery("13:55:14", "bo@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
      delivery("13:55:14", "cy@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
      delivery("14:05:14", "ann@contoso.se", "deferred", `lost connection with ${PEER} while receiving the initial server greeting`, { dsn: "4.4.2" }),
      delivery("14:05:15", "bo@contoso.se", "sent", "250 2.0.0 Ok", { dsn: "2.0.0" }),
      delivery("14:05:16", "cy@contoso.se", "bounced", `host ${PEER} said: 550 5.1.1 unknown (in reply to RCPT TO command)`, { dsn: "5.1.1" }),
      EXPIRED,
      `Dec 06 13:55:30 mx1 postfix/qmgr[1200]: ${QID}: removed`,
    ]);
    const expired = events.filter((e) => e.status === "expired");
    expect(expired).toEqual([{
      id: expect.any(String),
      occurredAt: "2026-12-06T13:55:30.000Z",
      connector: CONTOSO,
      messageId: `20261201135500.${QID}@app1.contoso.se`,
      sender: "alerts@contoso.se",
      recipient: "ann@contoso.se",
      status: "expired",
      errorCode: "450 4.4.318",
      errorDetails: `lost connection with ${PEER} while receiving the initial server greeting`,
      destination: `${PEER}:25`,
    }]);
    expect(validateEvent(expired[0])).toMatchObject({ ok: true });
  });

  it("expires every recipient still deferred, one event each", () => {
    const { events } = read([
      ...QUEUED,
      delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
      delivery("13:55:14", "ed@fabrikam.com", "deferred", "Cannot start TLS: handshake failure", { relay: "mail.fabrikam.com[198.51.100.20]:25" }),
      EXPIRED,
    ]);
    expect(events.filter((e) => e.status === "expired").map((e) => [e.recipient, e.connector, e.errorCode])).toEqual([
      ["ann@contoso.se", CONTOSO, "450 4.4.316"],
      ["ed@fabrikam.com", FABRIKAM, "450 4.4.317"],
    ]);
  });

  it("an expiry of a queue id whose deferrals were not read makes nothing; a second one neither", () => {
    expect(read([EXPIRED]).events).toEqual([]);
    const { events } = read([delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`), EXPIRED, EXPIRED]);
    expect(events.map((e) => e.status)).toEqual(["deferred", "expired"]);
  });
});

describe("correlation", () => {
  it("a queue id whose cleanup line was never seen gets messageId postfix:<queueid> and no sender", () => {
    const event = only([delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`, { qid: "E5F6A7B8C9" })]);
    expect(event.messageId).toBe("postfix:E5F6A7B8C9");
    expect(event.sender).toBeUndefined();
  });

  it("a multi-recipient message makes one event per recipient, same message, distinct ids", () => {
    const { events } = read([
      ...QUEUED,
      delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
      delivery("13:55:14", "bo@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
      delivery("13:55:14", "ed@fabrikam.com", "sent", "250 2.0.0 Ok", { relay: "mail.fabrikam.com[198.51.100.20]:25", dsn: "2.0.0" }),
    ]);
    expect(events.map((e) => [e.recipient, e.connector, e.status, e.messageId])).toEqual([
      ["ann@contoso.se", CONTOSO, "deferred", `20261201135500.${QID}@app1.contoso.se`],
      ["bo@contoso.se", CONTOSO, "deferred", `20261201135500.${QID}@app1.contoso.se`],
      ["ed@fabrikam.com", FABRIKAM, "delivered", `20261201135500.${QID}@app1.contoso.se`],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it("a bounce's empty sender is left out", () => {
    const event = only([
      `Dec 01 13:55:00 mx1 postfix/qmgr[1200]: ${QID}: from=<>, size=2211, nrcpt=1 (queue active)`,
      delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
    ]);
    expect(event.sender).toBeUndefined();
  });

  it("skips and counts what goes through no connector", () => {
    const { events, skipped } = read([
      delivery("13:55:14", "kim@example.org", "sent", "250 2.0.0 Ok", { relay: "mx.example.org[203.0.113.80]:25", dsn: "2.0.0" }),
      delivery("13:55:15", "root@mx1.contoso.se", "sent", "delivered to mailbox", { relay: "local", program: "local", dsn: "2.0.0" }),
      delivery("13:55:16", "ann@contoso.se", "sent", "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok", { relay: "127.0.0.1[127.0.0.1]:10024", dsn: "2.0.0" }),
      delivery("13:55:17", "ann@contoso.se", "deliverable", "250 2.1.5 Ok", { dsn: "2.1.5" }),
    ]);
    expect(events).toEqual([]);
    expect(skipped).toEqual({ "no connector": 1, "local delivery": 1, "local relay": 1, "other status": 1 });
  });

  it("skips and counts garbage, truncated and binary lines, and carries on", () => {
    const { events, skipped } = read([
      "Dec 01 13:5#$%^&* garbage",
      delivery("13:55:14", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`).slice(0, -40),
      "Dec 01 13:55:15 mx1 postfix/smtp[2103]: \u0000\u0000\ufffd\ufffd",
      "Dec 01 13:55:15 mx1 CRON[2111]: (root) CMD (true)",
      delivery("13:55:16", "ann@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
    ]);
    expect(events.map((e) => e.occurredAt)).toEqual(["2026-12-01T13:55:16.000Z"]);
    expect(skipped).toEqual({ unparsable: 1, truncated: 1, binary: 1, "other program": 1 });
  });

  it("keeps at most maxOpenQueues open queue ids, dropping and counting the least recently seen", () => {
    const lines = ["A0000001", "B0000002", "C0000003"].map((qid) => `Dec 01 13:55:00 mx1 postfix/cleanup[2102]: ${qid}: message-id=<${qid}@contoso.se>`);
    const { state, skipped } = readPostfixLines(lines, start(), { ...options, maxOpenQueues: 2 });
    expect(Object.keys(state.queues)).toEqual(["mx1 postfix B0000002", "mx1 postfix C0000003"]);
    expect(skipped).toEqual({ "queue id dropped": 1 });
  });

  it("forgets a queue id on `removed`", () => {
    const { state } = read([...QUEUED, `Dec 01 13:56:00 mx1 postfix/qmgr[1200]: ${QID}: removed`]);
    expect(state.queues).toEqual({});
  });
});

describe("ids: deterministic, and the state survives a JSON round trip", () => {
  const LOG = [
    ...QUEUED,
    `Dec 01 13:55:13 mx1 postfix/smtp[2103]: certificate verification failed for ${PEER}:25: untrusted issuer /CN=Contoso Internal CA`,
    delivery("13:55:14", "ann@contoso.se", "deferred", "Server certificate not verified"),
    delivery("13:55:14", "bo@contoso.se", "deferred", `connect to ${PEER}:25: Connection refused`),
    delivery("13:55:14", "ann@contoso.se", "deferred", "Server certificate not verified"),
    "Dec 31 23:59:59 mx1 postfix/smtp[2103]: B3C4D5E6F7: to=<ed@fabrikam.com>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=fabrikam.com type=MX: Host not found, try again)",
    delivery("14:55:14", "bo@contoso.se", "sent", "250 2.0.0 Ok", { dsn: "2.0.0" }).replace("Dec 01", "Jan 02"),
    `Jan 03 13:55:30 mx1 postfix/qmgr[1200]: ${QID}: from=<alerts@contoso.se>, status=expired, returned to sender`,
  ];

  it("the same lines from a fresh state give identical events, and no two ids collide", () => {
    const first = read(LOG).events;
    expect(read(LOG).events).toEqual(first);
    expect(first.map((e) => e.status)).toEqual(["deferred", "deferred", "deferred", "deferred", "delivered", "expired"]);
    expect(new Set(first.map((e) => e.id)).size).toBe(first.length);
    expect(first.at(-1)?.occurredAt).toBe("2027-01-03T13:55:30.000Z");
  });

  it("split at every line with the state stored as JSON in between: the same events as one pass", () => {
    const whole = read(LOG);
    for (let cut = 0; cut <= LOG.length; cut += 1) {
      const head = readPostfixLines(LOG.slice(0, cut), start(), options);
      const stored = JSON.parse(JSON.stringify(head.state));
      const tail = readPostfixLines(LOG.slice(cut), stored, options);
      expect([...head.events, ...tail.events]).toEqual(whole.events);
      expect(JSON.parse(JSON.stringify(tail.state))).toEqual(JSON.parse(JSON.stringify(whole.state)));
    }
  });

  it("a correlator fed line by line makes what one batch makes", () => {
    const correlator = new PostfixCorrelator(start(), options);
    expect(LOG.flatMap((l) => correlator.feed(l))).toEqual(read(LOG).events);
    expect(correlator.lastLineAt()?.toISOString()).toBe("2027-01-03T13:55:30.000Z");
  });
});
