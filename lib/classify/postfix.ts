import { classifySourceText, type Classification } from "@/lib/classify/classify";
import type { ConversationStage, Observation, ReplyStage, SmtpReply } from "@/lib/classify/observation";

// Pure: Postfix's reason texts (the part in parentheses after status=deferred|bounced) read as
// observations, then classified by the one table. Postfix's dsn= does not tell the faults apart
// (4.4.1 for refused and timed-out connects alike), so it is used only for a text no rule knows.

/** The reason of a Postfix delivery line, e.g. `connect to mail.contoso.se[203.0.113.25]:25: Connection refused`. */
export function classifyPostfixReason(reason: string, dsn?: string): Classification {
  const text = unwrap(reason.trim());
  return classifySourceText(readPostfixReason(text), text, dsn);
}

/** What Postfix's reason text says was observed. */
export function readPostfixReason(text: string): Observation {
  for (const [pattern, read] of RULES) {
    const match = pattern.exec(text);
    if (match) return read(match);
  }
  return { kind: "unrecognised", text };
}

type Rule = readonly [RegExp, (match: RegExpExecArray) => Observation];

// Ordered: "host … said:" comes before the bare "host not found", which a server's text may contain.
const RULES: readonly Rule[] = [
  [/^connect to (\S+): (.+)$/, (m) => ({ kind: "connect", error: connectErrno(m[2] ?? ""), address: m[1] })],
  [/^Host or domain name not found\. Name service error for name=(\S+) type=\S+: (.+)$/i, (m) => ({ kind: "dns", error: resolverError(m[2] ?? ""), name: m[1] })],
  // A reply the resolver could not read, or a name that is no host name (dns_lookup.c).
  [/^Name service error for (?:name=)?(\S+?)(?: type=\S+)?: (.+)$/, (m) => ({ kind: "dns", error: resolverError(m[2] ?? ""), name: m[1] })],
  // smtp_host_lookup = native: getaddrinfo's words (smtp_addr.c).
  [/^unable to look up host (\S+): (.+)$/, (m) => ({ kind: "dns", error: resolverError(m[2] ?? ""), name: m[1] })],
  [/^host \S+ refused to talk to me: (.+)$/, (m) => ({ kind: "greeting", reply: reply(m[1] ?? "") })],
  [/^Cannot start TLS: (.+)$/, (m) => ({ kind: "tls-handshake", error: m[1] ?? "" })],
  [/^TLS is required, but was not offered by host /, () => ({ kind: "starttls", outcome: "not-offered", required: true })],
  [/^TLS is required, but host \S+ refused to start TLS: (.+)$/, (m) => ({ kind: "starttls", outcome: reply(m[1] ?? ""), required: true })],
  [/^lost connection with \S+ while (.+)$/, (m) => ({ kind: "lost", during: stageOf(m[1] ?? ""), reason: "closed" })],
  [/^conversation with \S+ timed out while (.+)$/, (m) => ({ kind: "lost", during: stageOf(m[1] ?? ""), reason: "timeout" })],
  [/^Server certificate not verified/, () => ({ kind: "certificate", error: "not verified", validationRequired: true })],
  [/^host \S+ said: (.+?)(?: \(in reply to (.+) command\))?$/, (m) => ({ kind: "reply", stage: replyStage(m[2] ?? ""), reply: reply(m[1] ?? "") })],
  [/^(?:(\S+): )?host not found\b/i, (m) => ({ kind: "dns", error: "NXDOMAIN", name: m[1] })],
];

const WRAPPER = /^delivery temporarily suspended: /;

function unwrap(reason: string): string {
  return reason.replace(WRAPPER, "");
}

const CONNECT_ERRNOS: Readonly<Record<string, string>> = {
  "connection refused": "ECONNREFUSED",
  "connection timed out": "ETIMEDOUT",
  "no route to host": "EHOSTUNREACH",
  "network is unreachable": "ENETUNREACH",
  "connection reset by peer": "ECONNRESET",
};

/** Postfix prints strerror(); the classifier reads Node's errno names. An unknown text goes as is. */
function connectErrno(message: string): string {
  const key = message.trim().toLowerCase();
  return Object.hasOwn(CONNECT_ERRNOS, key) ? (CONNECT_ERRNOS[key] ?? message) : message;
}

/** The resolver's words after `Name service error …:` (h_errno's texts) or getaddrinfo's. */
function resolverError(message: string): string {
  if (/try again|temporary failure/i.test(message)) return "SERVFAIL";
  if (/no data record|no address associated/i.test(message)) return "NODATA";
  if (/host not found|not known/i.test(message)) return "NXDOMAIN";
  return message;
}

/** `450 4.2.0 <ann@contoso.se>: Greylisted` or `421-…` → {450, "4.2.0 <ann@contoso.se>: Greylisted"}. */
function reply(text: string): SmtpReply {
  const match = /^([2-5]\d\d)[ -]?(.*)$/s.exec(text);
  return match ? { code: Number(match[1]), text: match[2] ?? "" } : { code: 0, text };
}

const STAGES: readonly (readonly [RegExp, ConversationStage])[] = [
  [/greeting/i, "greeting"],
  [/\b(?:EHLO|HELO|LHLO)\b/, "ehlo"],
  [/\bSTARTTLS\b|\bTLS\b/, "starttls"],
  [/\bMAIL FROM\b/, "mail"],
  [/\bRCPT TO\b/, "rcpt"],
  [/\bDATA\b|\bdata\b|message (?:body|content)/, "data"],
  [/\bQUIT\b/, "quit"],
];

/** `receiving the initial server greeting`, `sending RCPT TO`, `sending end of data -- …` → the stage. */
function stageOf(phrase: string): ConversationStage {
  return STAGES.find(([pattern]) => pattern.test(phrase))?.[1] ?? "unknown";
}

function replyStage(command: string): ReplyStage {
  const stage = stageOf(command);
  return stage === "ehlo" || stage === "mail" || stage === "rcpt" || stage === "data" ? stage : "unknown";
}
