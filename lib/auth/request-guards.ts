// Pure checks the proxy (proxy.ts) applies to every request before a route sees it.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request is refused when the browser says it comes from another site: its
 * Origin differs from the host it was sent to, or (without Origin) Sec-Fetch-Site says
 * cross-site. Clients that send neither (curl, ingest scripts) are not browsers and carry no
 * ambient cookies an attacker could ride on.
 */
export function isCrossOriginWrite(method: string, headers: Headers): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const origin = headers.get("origin");
  if (origin) {
    const host = headers.get("x-forwarded-host") ?? headers.get("host");
    try {
      return origin === "null" || new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  return headers.get("sec-fetch-site") === "cross-site";
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
    // Ingest authenticates with a Bearer token instead of a session.
    pathname === "/api/events"
  );
}
