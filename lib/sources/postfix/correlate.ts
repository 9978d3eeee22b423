import { createHash } from "node:crypto";
import { z } from "zod";
import { ENHANCED_CODE, type Classification } from "@/lib/classify/classify";
import { classifyPostfixReason } from "@/lib/classify/postfix";
import type { EventInput } from "@/lib/events/schemas";
import { parsePostfixLine, type LineSkipReason, type PostfixLine, type YearClock } from "@/lib/sources/postfix/line";
import { readDelivery, readPeer, type Delivery } from "@/lib/sources/postfix/delivery";
import type { PostfixRouter } from "@/lib/sources/postfix/route";

// Pure: Postfix's lines about one queued message, correlated by queue id into wire events
// (lib/events/schemas.ts). cleanup names the message-id, qmgr the sender, smtp/lmtp/error (and
// qmgr's own deferrals) each recipient's outcome; `status=expired, returned to sender` expires the
// recipients still deferred. The state is plain JSON so a follower can store it with its read
// position and go on after a restart. docs/sources-postfix.md.

export type PostfixSkipReason =
  | LineSkipReason
  /** A Postfix line that says nothing this reader uses (smtpd, pickup, master, bounce…). */
  | "not a delivery"
  /** Delivered on this host (local, virtual, pipe, discard): through no connector. */
  | "local delivery"
  /** Handed to a content filter or proxy on this host (relay 127.0.0.1 or ::1). */
  | "local relay"
  | "no connector"
  /** A delivery line cut short: no `dsn=…, status=… (reason)` at its end. */
  | "truncated"
  /** deliverable, undeliverable, expanded…: address verification and alias expansion. */
  | "other status"
  /** Not a line: an open queue id dropped, the oldest, to keep the state bounded. */
  | "queue id dropped";

/** One recipient's latest deferral: what its expiry is counted as. */
export type Deferral = { connector: number; errorCode?: string; details: string; relay?: string; at: string };

export type OpenQueue = {
  messageId: string | null;
  sender: string | null;
  /** Events made for this queue id so far: part of each event's id. */
  seq: number;
  /** Recipients whose latest outcome is a deferral. */
  deferred: Record<string, Deferral>;
};

export type PostfixState = {
  version: 1;
  clock: YearClock;
  /** By `host instance queueId`, least recently used first. */
  queues: Record<string, OpenQueue>;
  /** The reason of the latest `certificate verification failed for PEER: …`, by `host instance peer`. */
  certificates: Record<string, string>;
};

export type PostfixOptions = Readonly<{
  route: PostfixRouter;
  /** IANA zone of time stamps without one (the Postfix host's local time); default UTC. */
  timeZone?: string;
  /** Open queue ids kept at most; the least recently seen is dropped beyond. */
  maxOpenQueues?: number;
}>;

export const DEFAULT_MAX_OPEN_QUEUES = 10_000;
const MAX_CERTIFICATES = 1_000;

export function newPostfixState(clock: YearClock): PostfixState {
  return { version: 1, clock, queues: {}, certificates: {} };
}

/** Feeds raw lines, in order, to the state it was made with. */
export class PostfixCorrelator {
  private clock: YearClock;
  private readonly queues: Map<string, OpenQueue>;
  private readonly certificates: Map<string, string>;
  private readonly counts: Partial<Record<PostfixSkipReason, number>> = {};
  private latest: Date | null = null;

  constructor(state: PostfixState, private readonly options: PostfixOptions) {
    const copy = structuredClone(state);
    this.clock = copy.clock;
    this.queues = new Map(Object.entries(copy.queues));
    this.certificates = new Map(Object.entries(copy.certificates));
  }

  /** The events one line makes (none for most lines). */
  feed(raw: string): EventInput[] {
    const parsed = parsePostfixLine(raw, this.clock, this.options.timeZone);
    this.clock = parsed.clock;
    if (!parsed.ok) return this.skip(parsed.reason);
    this.latest = parsed.line.at;
    return this.read(parsed.line);
  }

  /** A copy of the state to store (JSON.stringify it) and give to a later correlator. */
  state(): PostfixState {
    return structuredClone({
      version: 1, clock: this.clock, queues: Object.fromEntries(this.queues), certificates: Object.fromEntries(this.certificates),
    });
  }

  /** Lines skipped since this correlator was made, by reason. */
  skipped(): Partial<Record<PostfixSkipReason, number>> {
    return { ...this.counts };
  }

  /** The time written on the latest line read. */
  lastLineAt(): Date | null {
    return this.latest;
  }

  private read(line: PostfixLine): EventInput[] {
    const certificate = CERTIFICATE.exec(line.text);
    if (certificate) return this.rememberCertificate(line, certificate[1] ?? "", certificate[2] ?? "");
    if (line.queueId === null) return this.skip("not a delivery");
    const key = `${line.host} ${line.instance} ${line.queueId}`;
    if (line.program === "cleanup" && line.text.startsWith("message-id=")) {
      this.open(key).messageId = line.text.slice("message-id=".length).replace(/^<(.*)>$/, "$1") || null;
      return [];
    }
    if (line.text === "removed" && (line.program === "qmgr" || line.program === "postsuper")) {
      this.queues.delete(key);
      return [];
    }
    if (line.program === "qmgr" && EXPIRED.test(line.text)) return this.expire(key, line);
    const from = line.program === "qmgr" ? FROM.exec(line.text) : null;
    if (from) {
      this.open(key).sender = validSender(from[1]);
      return [];
    }
    if (!line.text.startsWith("to=<")) return this.skip("not a delivery");
    if (LOCAL_PROGRAMS.has(line.program)) return this.skip("local delivery");
    if (!DELIVERY_PROGRAMS.has(line.program)) return this.skip("not a delivery");
    const delivery = readDelivery(line.text);
    if (!delivery) return this.skip("truncated");
    return this.deliver(key, line, delivery);
  }

  private deliver(key: string, line: PostfixLine, d: Delivery): EventInput[] {
    const status = STATUSES[d.status];
    if (!status) return this.skip("other status");
    const peer = d.relay ?? readPeer(d.reason);
    const domain = d.recipient.slice(d.recipient.lastIndexOf("@") + 1).toLowerCase();
    // A relay on this host is a content filter or proxy, unless a connector's smart host names it.
    const local = peer !== null && LOOPBACK.test(peer);
    const connector = this.options.route(domain, peer, local);
    if (connector === null) return this.skip(local ? "local relay" : "no connector");
    const queue = this.open(key);
    const event = this.event(queue, line, { connector, recipient: d.recipient, status, destination: peer ?? undefined });
    if (status === "delivered") {
      delete queue.deferred[d.recipient];
      return [event];
    }
    const failure = this.failure(line, d, peer);
    Object.assign(event, failure);
    if (status === "failed") delete queue.deferred[d.recipient];
    else queue.deferred[d.recipient] = deferral(connector, event);
    return [event];
  }

  private failure(line: PostfixLine, d: Delivery, peer: string | null): { errorCode?: string; errorDetails: string } {
    const c = classifyPostfixReason(d.reason, d.dsn);
    const certificate = c.code === "4.7.320" && peer ? this.certificates.get(certificateKey(line, peer)) : undefined;
    const errorDetails = certificate ? `${c.detail}: ${certificate}` : c.detail;
    const errorCode = wireCode(c);
    return errorCode === undefined ? { errorDetails } : { errorCode, errorDetails };
  }

  /** The MTA gave up: each recipient still deferred expires at this line's time with its last deferral's code. */
  private expire(key: string, line: PostfixLine): EventInput[] {
    const queue = this.queues.get(key);
    if (!queue) return [];
    const events = Object.entries(queue.deferred).map(([recipient, last]) => {
      const event = this.event(queue, line, { connector: last.connector, recipient, status: "expired", destination: last.relay });
      if (last.errorCode !== undefined) event.errorCode = last.errorCode;
      event.errorDetails = last.details;
      return event;
    });
    queue.deferred = {};
    return events;
  }

  private event(queue: OpenQueue, line: PostfixLine, e: Pick<EventInput, "connector" | "recipient" | "status" | "destination">): EventInput {
    const seq = queue.seq++;
    const queueId = line.queueId ?? "";
    const event: EventInput = {
      id: eventId(line, queueId, seq, e.status, e.recipient ?? ""),
      occurredAt: line.at.toISOString(),
      connector: e.connector,
      messageId: queue.messageId ?? `postfix:${queueId}`,
      recipient: e.recipient,
      status: e.status,
    };
    if (queue.sender) event.sender = queue.sender;
    if (e.destination) event.destination = e.destination;
    return event;
  }

  private rememberCertificate(line: PostfixLine, peer: string, reason: string): EventInput[] {
    const key = certificateKey(line, peer);
    this.certificates.delete(key);
    this.certificates.set(key, reason);
    if (this.certificates.size > MAX_CERTIFICATES) this.certificates.delete(this.certificates.keys().next().value ?? "");
    return [];
  }

  /** The queue id's entry, opened if new, moved to the most recently used end. */
  private open(key: string): OpenQueue {
    const queue = this.queues.get(key) ?? { messageId: null, sender: null, seq: 0, deferred: {} };
    this.queues.delete(key);
    this.queues.set(key, queue);
    if (this.queues.size > (this.options.maxOpenQueues ?? DEFAULT_MAX_OPEN_QUEUES)) {
      this.queues.delete(this.queues.keys().next().value ?? "");
      this.count("queue id dropped");
    }
    return queue;
  }

  private skip(reason: PostfixSkipReason): EventInput[] {
    this.count(reason);
    return [];
  }

  private count(reason: PostfixSkipReason): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
  }
}

export type PostfixRead = {
  events: EventInput[];
  skipped: Partial<Record<PostfixSkipReason, number>>;
  /** The state after the lines, to store and give to the next read. */
  state: PostfixState;
  lastLineAt: Date | null;
};

/** Reads lines from `state` (left as it is) in one go. */
export function readPostfixLines(lines: Iterable<string>, state: PostfixState, options: PostfixOptions): PostfixRead {
  const correlator = new PostfixCorrelator(state, options);
  const events: EventInput[] = [];
  for (const line of lines) events.push(...correlator.feed(line));
  return { events, skipped: correlator.skipped(), state: correlator.state(), lastLineAt: correlator.lastLineAt() };
}

/**
 * The client id that makes ingest idempotent: the same line read twice gives the same id, two
 * lines never the same. sha256 over host, instance, queue id, the line's time as written (to the
 * microsecond where given), the queue id's event number, the status and the recipient.
 */
function eventId(line: Pick<PostfixLine, "host" | "instance" | "stamp">, queueId: string, seq: number, status: string, recipient: string): string {
  const key = [line.host, line.instance, queueId, line.stamp, seq, status, recipient].join("\n");
  return `postfix:${queueId}:${seq}:${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

const STATUSES: Readonly<Record<string, EventInput["status"] | undefined>> = { sent: "delivered", deferred: "deferred", bounced: "failed" };
const DELIVERY_PROGRAMS = new Set(["smtp", "lmtp", "error", "retry", "qmgr"]);
const LOCAL_PROGRAMS = new Set(["local", "virtual", "pipe", "discard"]);
const CERTIFICATE = /^(?:(?:server|client|CA) )?certificate verification failed for (\S+): (.+)$/;
const EXPIRED = /^from=<.*>, status=(?:force-)?expired, returned to sender$/;
const FROM = /^from=<(.*?)>, size=\d+, nrcpt=\d+/;
const LOOPBACK = /\[(?:127\.\d+\.\d+\.\d+|::1|ipv6:::1)\]/i;
const EMAIL = z.regexes.email;

/** `450 4.4.316`, the server's `452 4.2.2`, or a bare dsn `4.4.1`; none for a code ingest cannot read. */
function wireCode(c: Classification): string | undefined {
  if (!ENHANCED_CODE.test(c.code)) return undefined;
  return c.smtp === null ? c.code : `${c.smtp} ${c.code}`;
}

// TLS logs the peer in lower case; relay= as the MX or smart host was written.
function certificateKey(line: PostfixLine, peer: string): string {
  return `${line.host} ${line.instance} ${peer.toLowerCase()}`;
}

function deferral(connector: number, event: EventInput): Deferral {
  const last: Deferral = { connector, details: event.errorDetails ?? "", at: event.occurredAt };
  if (event.errorCode !== undefined) last.errorCode = event.errorCode;
  if (event.destination !== undefined) last.relay = event.destination;
  return last;
}

/** An empty sender (a bounce) or one ingest would refuse is left out rather than losing the event. */
function validSender(sender: string | undefined): string | null {
  return sender && EMAIL.test(sender) ? sender : null;
}
