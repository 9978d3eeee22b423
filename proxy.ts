/** Proxy (Next 16's middleware): cross-origin writes refused, API methods checked, signed-out pages sent to sign-in, CSP nonce */
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { COOKIE_PREFIX } from "@/lib/auth/cookies";
import { contentSecurityPolicy, isPublicPath, refusedWrite, WRITE_REFUSALS } from "@/lib/auth/request-guards";
import { env } from "@/lib/env";
import { allowedMethods, methodAllowed } from "@/lib/http/api-routes";
import { AppError } from "@/lib/http/errors";
import { problemResponse } from "@/lib/http/problem";

// This is the first, cheap line of defence. The session itself is validated where data is read:
// every API route (actingUser) and every page (requirePageUser); roles in the lib/ services.
export function proxy(request: NextRequest): Response {
  const { pathname, search } = request.nextUrl;
  const refuse = (status: number, code: AppError["code"], message: string) =>
    problemResponse(new AppError({ status, code, message }), pathname);

  const hasSessionCookie = Boolean(getSessionCookie(request, { cookiePrefix: COOKIE_PREFIX }));
  const refusal = refusedWrite(request.method, pathname, request.headers, hasSessionCookie);
  if (refusal) return refuse(403, "forbidden", WRITE_REFUSALS[refusal]);

  if (pathname.startsWith("/api/")) {
    const allowed = allowedMethods(pathname);
    if (!allowed) return refuse(404, "not_found", `There is no API at ${pathname}.`);
    if (!methodAllowed(request.method, allowed)) {
      const response = refuse(405, "method_not_allowed", `${pathname} answers ${allowed.join(", ")}, not ${request.method}.`);
      response.headers.set("allow", allowed.join(", "));
      return response;
    }
    return NextResponse.next();
  }

  if (!isPublicPath(pathname) && !hasSessionCookie) {
    const signIn = new URL("/sign-in", request.url);
    if (pathname !== "/") signIn.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  return withNonce(request);
}

/** Next puts the nonce of the request's CSP header on its own scripts (pages are dynamic). */
function withNonce(request: NextRequest): Response {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, env().NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Everything but build assets and the icon, which carry no data and need no nonce.
  matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
