import { CODE_CATALOGUE, codeKey, type CodeKey, type KnownCode } from "@/lib/alerts/codes";
import { UNKNOWN_CODE } from "@/lib/grouping/event";
import type { Observation, SmtpReply } from "@/lib/classify/observation";

// Pure: the one table of DOMAIN.md ("One classification for every observation"). The probe and
// every source go through classify(), so a fault gets the same code wherever it is seen. The codes
// and their names are lib/alerts/codes.ts's; this module only decides which one applies.

export type Classification = Readonly<{
  /** One of the six codes, the server's own enhanced code, or the source's code as given. */
  code: string;
  /** 450 for the six codes, the server's reply code for "other", null when nothing said one. */
  smtp: number | null;
  /** The message key the alerts and the remediation catalogue read (`codes.<name>`). */
  name: CodeKey;
  /** What was seen, in plain words with the raw error or reply, for the event's details. */
  detail: string;
}>;

/** The code of an observation, or null when it is no failure (an optional STARTTLS missing, a 2xx reply…). */
export function classify(observation: Observation): Classification | null {
  switch (observation.kind) {
    case "dns":
      return known("4.4.312", `DNS look-up${observation.name ? ` of ${observation.name}` : ""} failed: ${describe(DNS_ERRORS, observation.error)}`);
    case "connect":
      return classifyConnect(observation.error, observation.address);
    case "greeting":
      if (observation.reply === "timeout") return known("4.4.318", "no greeting from the server within the timeout");
      if (observation.reply === "closed") return known("4.4.318", "the server closed the connection before greeting");
      return isRefusal(observation.reply) ? known("4.4.317", `the server refused the session: ${replyText(observation.reply)}`) : null;
    case "starttls":
      if (!observation.required) return null;
      if (observation.outcome === "not-offered") return known("4.4.317", "TLS is required but the server does not offer STARTTLS");
      return isRefusal(observation.outcome) ? known("4.4.317", `TLS is required but the server refused STARTTLS: ${replyText(observation.outcome)}`) : null;
    case "tls-handshake":
      if (has(CERTIFICATE_ERRORS, observation.error)) return certificateFailure(observation.error);
      return known("4.4.317", `TLS handshake failed: ${describe(TLS_ERRORS, observation.error)}`);
    case "certificate":
      return observation.validationRequired ? certificateFailure(observation.error) : null;
    case "lost": {
      const what = observation.reason === "timeout" ? "the server stopped answering" : "the connection was closed";
      const during = observation.during === "unknown" ? "" : ` during ${observation.during.toUpperCase()}`;
      return known("4.4.318", `${what}${during}${observation.text ? `: ${observation.text}` : ""}`);
    }
    case "reply":
      return isRefusal(observation.reply) ? serverCode(observation.reply, observation.stage) : null;
    case "reported":
      return { code: observation.code, smtp: observation.smtp, name: codeKey(observation.code), detail: observation.text };
    case "unrecognised":
      return unrecognised(observation.text, observation.code);
  }
}

/**
 * For the sources: the code of what a text was read as, with the text itself as the detail (the
 * admin compares it with the MTA's log). A text no rule knows, or read as no failure, gets `code`
 * (the source's own, such as Postfix's dsn=) or "unknown": a source only asks about failures.
 */
export function classifySourceText(observation: Observation, text: string, code?: string): Classification {
  const found = observation.kind === "unrecognised" ? null : classify(observation);
  return { ...(found ?? unrecognised(text, code)), detail: text };
}

/** The enhanced code at the start of a reply's text (`5.1.1 <ann@…>: …`). */
export const ENHANCED_CODE = /^([245]\.\d{1,3}\.\d{1,3})\b/;

function classifyConnect(error: string, address: string | undefined): Classification {
  const at = address ? ` to ${address}` : "";
  if (error === "ECONNREFUSED") return known("4.4.316", `connection${at} refused (${error})`);
  if (has(CONNECT_TIMEOUTS, error)) return known("4.4.315", `connection${at} failed: ${describe(CONNECT_TIMEOUTS, error)}`);
  // The handshake completed and the peer dropped it at once: connected, then lost.
  if (error === "ECONNRESET" || error === "EPIPE") return known("4.4.318", `connection${at} was reset by the server (${error})`);
  // Anything else kept the service from making a connection, which is 4.4.315's definition.
  return known("4.4.315", `connection${at} could not be made (${error})`);
}

function certificateFailure(error: string): Classification {
  return known("4.7.320", `certificate validation failed: ${describe(CERTIFICATE_ERRORS, error)}`);
}

function serverCode(reply: SmtpReply, stage: string): Classification {
  // A reply without an enhanced code gets its class's X.0.0, as Postfix's dsn= does for such replies.
  const code = ENHANCED_CODE.exec(reply.text)?.[1] ?? `${Math.floor(reply.code / 100)}.0.0`;
  const after = stage === "unknown" ? "" : ` (in reply to ${stage.toUpperCase()})`;
  return { code, smtp: reply.code, name: codeKey(code), detail: `${replyText(reply)}${after}` };
}

function known(code: KnownCode, detail: string): Classification {
  return { code, smtp: CODE_CATALOGUE[code].smtp, name: CODE_CATALOGUE[code].key, detail };
}

function unrecognised(text: string, code = UNKNOWN_CODE): Classification {
  return { code, smtp: null, name: codeKey(code), detail: text };
}

function isRefusal(reply: SmtpReply): boolean {
  return reply.code >= 400;
}

function replyText(reply: SmtpReply): string {
  return `${reply.code} ${reply.text}`.trim();
}

function describe(table: Readonly<Record<string, string>>, error: string): string {
  return has(table, error) ? `${table[error]} (${error})` : error;
}

// Own keys only: an error named "constructor" must not find Object's.
function has(table: Readonly<Record<string, string>>, key: string): boolean {
  return Object.hasOwn(table, key);
}

const DNS_ERRORS: Readonly<Record<string, string>> = {
  NXDOMAIN: "the name does not exist",
  ENOTFOUND: "the name does not exist",
  SERVFAIL: "the name servers failed to answer",
  ESERVFAIL: "the name servers failed to answer",
  NODATA: "the name has no address records",
  ENODATA: "the name has no address records",
  TIMEOUT: "no answer from the name servers",
  ETIMEOUT: "no answer from the name servers",
  REFUSED: "the name servers refused the query",
  EREFUSED: "the name servers refused the query",
};

const CONNECT_TIMEOUTS: Readonly<Record<string, string>> = {
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "no route to host",
  EHOSTDOWN: "host is down",
  ENETUNREACH: "network is unreachable",
  ENETDOWN: "network is down",
};

const TLS_ERRORS: Readonly<Record<string, string>> = {
  ECONNRESET: "the server closed the connection during the handshake",
  ERR_SSL_WRONG_VERSION_NUMBER: "the server did not speak TLS",
  ERR_SSL_NO_SHARED_CIPHER: "no cipher in common",
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: "the server aborted the handshake",
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: "no TLS version in common",
  ERR_SSL_UNSUPPORTED_PROTOCOL: "no TLS version in common",
  ETIMEDOUT: "the handshake timed out",
};

const CERTIFICATE_ERRORS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the chain ends in an untrusted self-signed certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate's issuer is not trusted",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted",
  CERT_UNTRUSTED: "the certificate is not trusted",
  CERT_REVOKED: "the certificate has been revoked",
  CERT_SIGNATURE_FAILURE: "the certificate's signature is invalid",
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate is for another name",
  HOSTNAME_MISMATCH: "the certificate is for another name",
};
