import type { DeliveryOutcome } from "@/lib/notify/types";
import { classifyHttpStatus, classifyNetworkError, excerpt, giveUp, redact } from "./outcome";

// One JSON POST for every HTTP channel: bounded by a time limit and the caller's signal, no
// redirects followed, only a short excerpt of the answer read, the URL kept out of every reason.

export const HTTP_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 4096;

export type PostOptions = Readonly<{ timeoutMs?: number }>;

export type JsonPost = Readonly<{
  url: string;
  body: string;
  headers?: Readonly<Record<string, string>>;
  /** The part of the URL that must never appear in a reason (the whole URL for secret ones). */
  secret?: string | null;
}>;

/** A URL a channel may post to: http or https with a host. Null when it is not one. */
export function httpUrl(value: unknown): URL | null {
  if (typeof value !== "string" || value.length > 2048) return null;
  try {
    const url = new URL(value);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
    return url;
  } catch {
    return null;
  }
}

export async function postJson(request: JsonPost, signal: AbortSignal, options: PostOptions = {}): Promise<DeliveryOutcome> {
  const url = httpUrl(request.url);
  if (!url) return giveUp("invalid URL: it must be an http or https URL with a host");
  const timeoutMs = options.timeoutMs ?? HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "MailflowIntelligence/1", ...request.headers },
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.any([signal, timeout]),
    });
    const text = await readExcerpt(response);
    return classifyHttpStatus(response.status, redact(excerpt(text), request.secret));
  } catch (error) {
    const outcome = classifyNetworkError(error, timeout.aborted && !signal.aborted, timeoutMs);
    return outcome.ok ? outcome : { ...outcome, reason: redact(outcome.reason, request.secret) };
  }
}

/** At most MAX_BODY_BYTES of the answer, so a huge or endless body cannot hold the worker. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // the body broke off: what arrived is enough for a reason
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8");
}
