import { startDnsResponder, type DnsResponder } from "./dns-responder";
import { startLab, type Fault, type Lab } from "./lab";
import { startPostfix, type PostfixInstance } from "./postfix";
import type { PostfixRoute } from "./postfix-config";
import { startSinkServer, type AcceptedMessage, type SinkServer } from "./postfix-sink";
import { startSmtpServer, type LabServer } from "./smtp-server";

/**
 * One run of a real Postfix against the fault lab: a message per case, queued at once, then left to
 * Postfix's own retries until every message is delivered, bounced or expired (the queue is empty).
 * Everything it starts is stopped before it returns; what it returns is Postfix's own log.
 */

/** The lab faults Postfix is sent to, plus cases only a relay shows. */
export type PostfixCase =
  | Exclude<Fault, "hostileGreeting" | "certExpiringSoon">
  /** the healthy sink, reached through the lab's DNS ([mail.lab.test]:port) */
  | "healthyByName"
  /** RCPT answered 550 5.1.1 */
  | "rcptUnknown"
  /** the lab's healthy server, which refuses DATA with 554 */
  | "dataRefused"
  | "dnsServfail"
  | "dnsNxdomain"
  | "dnsTimeout";

export type PostfixLabRun = Readonly<{
  log: string;
  domains: Readonly<Record<PostfixCase, string>>;
  /** Where each case's domain was relayed: `[127.0.0.1]:PORT` or `[name.lab.test]:PORT`, as a connector's smart host would be written. */
  nexthops: Readonly<Record<PostfixCase, string>>;
  /** The Message-ID (without <>) sent to each case, and to the message with two recipients. */
  messageIds: Readonly<Record<PostfixCase | "twoRecipients", string>>;
  /** The two recipients of `twoRecipients`: the healthy sink and the busy mailbox. */
  twoRecipients: readonly [string, string];
  sender: string;
  /** `postqueue -p` once every message that defers has been deferred at least once. */
  queueWhileDeferred: string;
  /** DNS questions the lab's resolver got, per name, during the run. */
  dnsQueries: Readonly<Record<string, number>>;
  /** What the healthy sink accepted (deliveries and non-delivery notifications). */
  accepted: readonly AcceptedMessage[];
  durationMs: number;
}>;

export const POSTFIX_LAB_LIMIT_MS = 300_000;

/** The lab's DNS names behind the DNS cases; every one under lab.test, answered by the lab only. */
const DNS_NAMES = { dnsServfail: "servfail.lab.test", dnsNxdomain: "gone.lab.test", dnsTimeout: "silent.lab.test" } as const;
/** Loopback addresses tried, in order, for the responder Postfix asks on port 53. */
const NAMESERVER_CANDIDATES = ["127.53.0.1", "127.53.0.2", "127.53.0.3"];
const POLL_MS = 2_000;

export async function runPostfixLab(limitMs = POSTFIX_LAB_LIMIT_MS): Promise<PostfixLabRun> {
  const started = Date.now();
  const stops: (() => Promise<void>)[] = [];
  try {
    const lab = await startLab({ faults: LAB_FAULTS });
    stops.push(lab.stop);
    const sink = await startSinkServer(lab.certificates.leaves.healthy);
    stops.push(sink.stop);
    const rcptUnknown = await startSmtpServer({ certificate: lab.certificates.leaves.healthy, rcptReply: "550 5.1.1 <nobody@rcpt-unknown.lab.test>: Recipient address rejected: User unknown" });
    stops.push(rcptUnknown.stop);
    const dns = await startNameserver();
    stops.push(dns.stop);

    const routes = routesFor(lab, sink, rcptUnknown);
    const postfix = await startPostfix({ routes, caPem: lab.caPem, nameserver: dns.host });
    stops.unshift(postfix.stop);
    const sender = `lab-sender@${postfix.domains.healthy}`;
    const messageIds = {} as Record<PostfixCase | "twoRecipients", string>;
    for (const key of POSTFIX_CASES) messageIds[key] = await postfix.send(sender, `user@${postfix.domains[key]}`, `Lab case ${key}`);
    const twoRecipients = [`first@${postfix.domains.healthy}`, `second@${postfix.domains.rcptBusy}`] as const;
    messageIds.twoRecipients = await postfix.send(sender, twoRecipients, "Lab case twoRecipients");

    const queueWhileDeferred = await waitForFirstDeferrals(postfix, started + limitMs);
    const log = await waitUntilDone(postfix, started + limitMs);
    const dnsQueries = Object.fromEntries(["mail.lab.test", ...Object.values(DNS_NAMES)].map((name) => [name, dns.queriesFor(name)]));
    const nexthops = Object.fromEntries(POSTFIX_CASES.map((key) => [key, routes[key].nexthop])) as Record<PostfixCase, string>;
    return { log, domains: postfix.domains, nexthops, messageIds, twoRecipients, sender, queueWhileDeferred, dnsQueries, accepted: sink.accepted(), durationMs: Date.now() - started };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

/** Every case, in the order the messages are sent. */
export const POSTFIX_CASES: readonly PostfixCase[] = [
  "healthy", "healthyByName", "refused", "connectTimeout", "neverGreets", "greetingRefused", "closesAfterEhlo",
  "closesInTlsHandshake", "noStarttls", "starttlsRefused", "rcptBusy", "rcptUnknown", "dataRefused",
  "certExpired", "certSelfSigned", "certWrongName", "certUntrustedCa", "dnsServfail", "dnsNxdomain", "dnsTimeout",
];

const LAB_FAULTS: readonly Fault[] = [
  "healthy", "refused", "connectTimeout", "neverGreets", "greetingRefused", "closesAfterEhlo", "closesInTlsHandshake",
  "noStarttls", "starttlsRefused", "rcptBusy", "certExpired", "certSelfSigned", "certWrongName", "certUntrustedCa",
];

/**
 * The TLS level each case needs for its fault to matter: "encrypt" where STARTTLS must happen,
 * "verify"/"secure" (match=mail.lab.test, the lab CA only) where the certificate must check out.
 */
function routesFor(lab: Lab, sink: SinkServer, rcptUnknown: LabServer): Record<PostfixCase, PostfixRoute> {
  const at = (fault: Fault) => `[${lab.target(fault).host}]:${lab.target(fault).port}`;
  return {
    healthy: { nexthop: `[${sink.host}]:${sink.port}`, tls: "verify" },
    healthyByName: { nexthop: `[${lab.hostName}]:${sink.port}`, tls: "secure" },
    refused: { nexthop: at("refused") },
    connectTimeout: { nexthop: at("connectTimeout") },
    neverGreets: { nexthop: at("neverGreets") },
    greetingRefused: { nexthop: at("greetingRefused") },
    closesAfterEhlo: { nexthop: at("closesAfterEhlo") },
    closesInTlsHandshake: { nexthop: at("closesInTlsHandshake"), tls: "encrypt" },
    noStarttls: { nexthop: at("noStarttls"), tls: "encrypt" },
    starttlsRefused: { nexthop: at("starttlsRefused"), tls: "encrypt" },
    rcptBusy: { nexthop: at("rcptBusy") },
    rcptUnknown: { nexthop: `[${rcptUnknown.host}]:${rcptUnknown.port}` },
    dataRefused: { nexthop: at("healthy") },
    certExpired: { nexthop: at("certExpired"), tls: "secure" },
    certSelfSigned: { nexthop: at("certSelfSigned"), tls: "verify" },
    certWrongName: { nexthop: at("certWrongName"), tls: "verify" },
    certUntrustedCa: { nexthop: at("certUntrustedCa"), tls: "verify" },
    dnsServfail: { nexthop: `[${DNS_NAMES.dnsServfail}]:${sink.port}` },
    dnsNxdomain: { nexthop: `[${DNS_NAMES.dnsNxdomain}]:${sink.port}` },
    dnsTimeout: { nexthop: `[${DNS_NAMES.dnsTimeout}]:${sink.port}` },
  };
}

/** The lab's responder on port 53 of the first free loopback candidate: Postfix's libc asks port 53 only. */
async function startNameserver(): Promise<DnsResponder> {
  const table = {
    "mail.lab.test": { A: ["127.0.0.1"] },
    [DNS_NAMES.dnsServfail]: "servfail",
    [DNS_NAMES.dnsNxdomain]: "nxdomain",
    [DNS_NAMES.dnsTimeout]: "silence",
  } as const;
  let lastError: unknown;
  for (const host of NAMESERVER_CANDIDATES) {
    try {
      return await startDnsResponder(table, { host, port: 53 });
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`no loopback address had port 53 free for the lab's DNS (${NAMESERVER_CANDIDATES.join(", ")})`, { cause: lastError });
}

/** Cases whose message Postfix keeps retrying until it expires. */
const DEFERRING: readonly PostfixCase[] = [
  "refused", "connectTimeout", "neverGreets", "greetingRefused", "closesAfterEhlo", "closesInTlsHandshake", "noStarttls",
  "starttlsRefused", "rcptBusy", "certExpired", "certSelfSigned", "certWrongName", "certUntrustedCa", "dnsServfail", "dnsTimeout",
];

async function waitForFirstDeferrals(postfix: PostfixInstance<PostfixCase>, deadline: number): Promise<string> {
  while (Date.now() < deadline) {
    const log = await postfix.readLog();
    if (DEFERRING.every((key) => log.includes(`@${postfix.domains[key]}>,`) && deferredFor(log, postfix.domains[key]))) return postfix.queue();
    await sleep(POLL_MS);
  }
  throw new Error(`Postfix had not deferred every deferring case in time:\n${await postfix.readLog()}`);
}

function deferredFor(log: string, domain: string): boolean {
  return log.split("\n").some((line) => line.includes(`@${domain}>,`) && line.includes("status=deferred"));
}

/** Until the queue is empty and every queue id the log names has its "removed" line. */
async function waitUntilDone(postfix: PostfixInstance<PostfixCase>, deadline: number): Promise<string> {
  while (Date.now() < deadline) {
    const queue = await postfix.queue();
    const log = await postfix.readLog();
    if (/Mail queue is empty/.test(queue) && everyQueueIdRemoved(log)) return log;
    await sleep(POLL_MS);
  }
  throw new Error(`Postfix still had mail after the limit:\n${await postfix.queue()}\n${await postfix.readLog()}`);
}

function everyQueueIdRemoved(log: string): boolean {
  const ids = new Set([...log.matchAll(/postfix\/cleanup\[\d+\]: ([0-9A-F]+): message-id=/g)].map((match) => match[1]));
  const removed = new Set([...log.matchAll(/postfix\/qmgr\[\d+\]: ([0-9A-F]+): removed/g)].map((match) => match[1]));
  return ids.size > 0 && [...ids].every((id) => removed.has(id));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
