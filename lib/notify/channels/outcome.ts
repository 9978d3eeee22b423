import type { DeliveryOutcome } from "@/lib/notify/types";

// Pure: how a channel's answer becomes a delivery outcome. Temporary trouble (the receiver is
// down, slow, overloaded, or says "later") is retried; an answer that will be the same next time
// (a wrong URL, a refused recipient) is given up, with the reason the admin reads. A reason never
// holds the channel's secret URL: webhook, Teams and Slack URLs carry their token in the path.

export const EXCERPT_CHARS = 200;

export const ok = (detail?: string): DeliveryOutcome => (detail ? { ok: true, detail } : { ok: true });
export const retry = (reason: string): DeliveryOutcome => ({ ok: false, retry: true, reason });
export const giveUp = (reason: string): DeliveryOutcome => ({ ok: false, retry: false, reason });

/** An HTTP answer: 2xx delivered; 408, 429 and 5xx later; any other status never as it is. */
export function classifyHttpStatus(status: number, bodyExcerpt: string): DeliveryOutcome {
  if (status >= 200 && status < 300) return ok(`HTTP ${status}`);
  const reason = bodyExcerpt ? `HTTP ${status}: ${bodyExcerpt}` : `HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) return retry(reason);
  if (status >= 300 && status < 400) return giveUp(`${reason} (redirects are not followed: use the final URL)`);
  return giveUp(reason);
}

/** A request that got no answer: the network's code, or our own time limit, or the caller's abort. */
export function classifyNetworkError(error: unknown, timedOut: boolean, timeoutMs: number): DeliveryOutcome {
  if (timedOut) return retry(`no answer within ${Math.round(timeoutMs / 1000)} s`);
  if (isAbort(error)) return retry("aborted before an answer (shutting down)");
  const code = errorCode(error);
  const known = code ? NETWORK_REASONS[code] : undefined;
  if (known) return retry(`${known} (${code})`);
  if (code) return retry(`network error (${code})`);
  return retry(`network error: ${messageOf(error)}`);
}

/**
 * An SMTP failure as nodemailer reports it: a server's 5xx (except 503) is final and its reply is
 * the reason; a 4xx, a lost or refused connection and a time-out are tried again.
 */
export function classifySmtpError(error: unknown): DeliveryOutcome {
  const e = (error ?? {}) as { responseCode?: unknown; response?: unknown; permanent?: unknown; code?: unknown; command?: unknown };
  if (isAbort(error)) return retry("aborted before the server answered (shutting down)");
  const response = typeof e.response === "string" ? oneLine(e.response) : "";
  const command = typeof e.command === "string" ? ` (in reply to ${e.command.split(" ", 1)[0]})` : "";
  if (typeof e.responseCode === "number") {
    const reason = `SMTP ${response || e.responseCode}${command}`;
    const permanent = typeof e.permanent === "boolean" ? e.permanent : e.responseCode >= 500 && e.responseCode !== 503;
    return permanent ? giveUp(reason) : retry(reason);
  }
  const code = errorCode(error);
  if (code === "EAUTH" || code === "ENOAUTH") return giveUp(`SMTP authentication failed (${code})`);
  if (code === "EENVELOPE") return giveUp(`SMTP envelope refused: ${messageOf(error)}`);
  if (code === "ETIMEDOUT") return retry("the SMTP server did not answer in time (ETIMEDOUT)");
  const original = (error as { originalCode?: unknown }).originalCode;
  const network = typeof original === "string" ? NETWORK_REASONS[original] : undefined;
  if (network) return retry(`${network} (${original})`);
  return retry(`SMTP ${code ?? "error"}: ${messageOf(error)}`);
}

/** Removes every spelling of a secret URL (and its path, which holds the token) from a text. */
export function redact(text: string, secret: string | null | undefined): string {
  if (!secret) return text;
  let out = text.split(secret).join("[redacted]");
  try {
    const url = new URL(secret);
    const tail = `${url.pathname}${url.search}`;
    if (tail.length > 1) out = out.split(tail).join("[redacted]");
    if (url.password) out = out.split(url.password).join("[redacted]");
    if (url.search.length > 1) out = out.split(url.search.slice(1)).join("[redacted]");
  } catch {
    // not a URL: the whole string was removed above
  }
  return out;
}

/** The first characters of a body, on one line, for a reason. */
export function excerpt(body: string): string {
  const line = oneLine(body).trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_BODY_TIMEOUT: "no answer in time",
  UND_ERR_SOCKET: "connection closed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name look-up failed",
  ECONNECTION: "connection failed",
  ESOCKET: "connection failed",
  EDNS: "host name look-up failed",
};

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || (error as { code?: unknown }).code === "ABORT_ERR");
}

/** fetch wraps the socket's error as `cause`; nodemailer sets `code`. */
function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ABORT_ERR") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return excerpt(error instanceof Error ? error.message : String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}
