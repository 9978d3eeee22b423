// Pure: what was observed on the wire, in the terms of the step that saw it. The probe builds these
// from Node's dns, net and tls errors; the sources build them from the texts their MTA wrote
// (postfix.ts, exchange.ts). classify.ts turns each into one code (docs/classification.md).

/** An SMTP reply as the server sent it: `550 5.1.1 <ann@contoso.se>: User unknown` is {550, "5.1.1 <…>…"}. */
export type SmtpReply = Readonly<{ code: number; text: string }>;

/** The commands after the greeting whose replies can refuse mail. */
export type ReplyStage = "ehlo" | "mail" | "rcpt" | "data" | "unknown";

/** Where a conversation was when the connection dropped or the server stopped answering. */
export type ConversationStage = "greeting" | "ehlo" | "starttls" | "mail" | "rcpt" | "data" | "quit" | "unknown";

export type Observation =
  /** The look-up of the target's addresses failed: Node's ENOTFOUND, ESERVFAIL, ENODATA, ETIMEOUT… or the rcode (NXDOMAIN, SERVFAIL). */
  | Readonly<{ kind: "dns"; error: string; name?: string }>
  /** The TCP connect failed with Node's errno: ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH… */
  | Readonly<{ kind: "connect"; error: string; address?: string }>
  /** The server's first line, or none: it did not come in time, or the server closed first. */
  | Readonly<{ kind: "greeting"; reply: SmtpReply | "timeout" | "closed" }>
  /** STARTTLS was not in EHLO's extensions, or the server answered it with a refusal. */
  | Readonly<{ kind: "starttls"; outcome: "not-offered" | SmtpReply; required: boolean }>
  /** The handshake failed: Node's or OpenSSL's code (ERR_SSL_…, ECONNRESET) or its message. */
  | Readonly<{ kind: "tls-handshake"; error: string }>
  /** Verification of the server's certificate failed: Node's X509 code (CERT_HAS_EXPIRED…) or a text. */
  | Readonly<{ kind: "certificate"; error: string; validationRequired: boolean }>
  /** The connection was made and then closed by the peer, or a reply did not come in time. */
  | Readonly<{ kind: "lost"; during: ConversationStage; reason: "closed" | "timeout"; text?: string }>
  /** The server answered a command after the greeting. */
  | Readonly<{ kind: "reply"; stage: ReplyStage; reply: SmtpReply }>
  /** A code the source service already gave (Exchange's `LED=450 4.4.317 …`): kept as given. */
  | Readonly<{ kind: "reported"; smtp: number | null; code: string; text: string }>
  /** Nothing above: a text no rule knows. `code` is the caller's best guess (Postfix's dsn=), if any. */
  | Readonly<{ kind: "unrecognised"; text: string; code?: string }>;

export type ObservationKind = Observation["kind"];
