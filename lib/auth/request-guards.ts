// Pure checks the proxy (proxy.ts) applies to every request before a route sees it.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type WriteRefusal = "cross-origin" | "origin-unknown";

export const WRITE_REFUSALS: Record<WriteRefusal, string> = {
  "cross-origin": "Requests from other sites may not change anything here.",
  "origin-unknown": "A change made with a session cookie must show it comes from this site (an Origin header, which browsers send); nothing was changed.",
};

/**
 * Why a state-changing request is refused, or null. "cross-origin": its Origin differs from the
 * host it was sent to, or (without Origin) the browser marks it Sec-Fetch-Site: cross-site.
 * "origin-unknown": it carries the session cookie but shows neither an Origin, nor
 * Sec-Fetch-Site: same-origin, nor a Referer of this site. Every browser we support sends Origin
 * on writes, so that is a client we cannot tell from a forgery; we refuse rather than guess (see
 * docs/security.md). Requests without the session cookie (curl, ingest with a token) have no
 * ambient authority to ride on and need no origin; nor does ingest, which ignores the cookie.
 */
export function refusedWrite(method: string, pathname: string, headers: Headers, hasSessionCookie: boolean): WriteRefusal | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const origin = headers.get("origin");
  if (origin) return isOf(origin, host) ? null : "cross-origin";
  const site = headers.get("sec-fetch-site");
  if (site === "cross-site") return "cross-origin";
  if (!hasSessionCookie || isTokenAuthenticated(pathname) || site === "same-origin") return null;
  const referer = headers.get("referer");
  return referer && isOf(referer, host) ? null : "origin-unknown";
}

/** Content-Security-Policy for pages: scripts only with this request's nonce (Next adds it to its own). */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React style props and the charts' inline styles are attributes, not scripts.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Where to go after signing in: only a path of this site, never another origin. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.length > 2000) return "/";
  return value;
}

/** Paths anyone may open without a session. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === "/sign-in" ||
    pathname.startsWith("/api/auth/") ||
    pathname === "/api/health" ||
    isTokenAuthenticated(pathname)
  );
}

/** Ingest authenticates with a Bearer token instead of a session. */
function isTokenAuthenticated(pathname: string): boolean {
  return pathname === "/api/events";
}

/** Whether an Origin or Referer names the host the request was sent to ("null" never does). */
function isOf(url: string, host: string | null): boolean {
  try {
    return url !== "null" && new URL(url).host === host;
  } catch {
    return false;
  }
}
