import "server-only";
import { auth } from "@/lib/auth/auth";
import { AppError, type AppErrorCode } from "@/lib/http/errors";
import { readText } from "@/lib/http/body";
import { problemResponse } from "@/lib/http/problem";

// The HTTP side of better-auth under /api/auth: bodies are size-limited before better-auth reads
// them, and its error answers are turned into our problem+json shape (with Retry-After on 429).
const MAX_AUTH_BODY_BYTES = 8 * 1024;

export async function handleAuthRequest(req: Request): Promise<Response> {
  const limited = req.method === "GET" || req.method === "HEAD" ? req : await withLimitedBody(req);
  const res = await auth().handler(limited);
  return res.status >= 400 ? toProblem(res, new URL(req.url).pathname) : res;
}

async function withLimitedBody(req: Request): Promise<Request> {
  const body = await readText(req, MAX_AUTH_BODY_BYTES);
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  return new Request(req.url, { method: req.method, headers, body });
}

async function toProblem(res: Response, instance: string): Promise<Response> {
  const body = (await res.json().catch(() => null)) as { message?: unknown } | null;
  const message = typeof body?.message === "string" && body.message ? body.message : res.statusText || "The request was refused.";
  const problem = problemResponse(new AppError({ code: CODES[res.status] ?? "bad_request", status: res.status, message }), instance);
  const retryAfter = res.headers.get("retry-after") ?? res.headers.get("x-retry-after");
  if (retryAfter) problem.headers.set("retry-after", retryAfter);
  for (const cookie of res.headers.getSetCookie()) problem.headers.append("set-cookie", cookie);
  return problem;
}

const CODES: Record<number, AppErrorCode> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
};
