import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { contentSecurityPolicy, isPublicPath, refusedWrite, safeNextPath } from "@/lib/auth/request-guards";
import { bearerToken, generateToken, hashToken } from "@/lib/auth/token-format";
import { allowedMethods, methodAllowed } from "@/lib/http/api-routes";
import { can, parseRole, requireRole } from "@/lib/auth/roles";

const headers = (h: Record<string, string>) => new Headers({ host: "app.example:3000", ...h });

describe("cross-origin writes", () => {
  const refused = (method: string, h: Record<string, string>, session = true) => refusedWrite(method, "/api/alerts/1/actions", headers(h), session);

  it("refuse another Origin, a null Origin and cross-site fetches; allow same origin and reads", () => {
    expect(refused("POST", { origin: "https://evil.example" })).toBe("cross-origin");
    expect(refused("DELETE", { origin: "null" })).toBe("cross-origin");
    expect(refused("POST", { origin: "not a url" })).toBe("cross-origin");
    expect(refused("PATCH", { "sec-fetch-site": "cross-site" }, false)).toBe("cross-origin");
    expect(refused("POST", { origin: "http://app.example:3000" })).toBeNull();
    expect(refused("POST", { origin: "http://app.example:3000", "x-forwarded-host": "proxy.example" })).toBe("cross-origin");
    expect(refused("GET", { origin: "https://evil.example" })).toBeNull();
    expect(refused("GET", {})).toBeNull();
  });

  it("refuse a session-cookie write that cannot show it comes from this site; allow one without the cookie", () => {
    expect(refused("POST", {})).toBe("origin-unknown");
    expect(refused("POST", { "sec-fetch-site": "same-site" })).toBe("origin-unknown");
    expect(refused("POST", { referer: "http://app.example.evil:3000/" })).toBe("origin-unknown");
    expect(refused("POST", { referer: "not a url" })).toBe("origin-unknown");
    expect(refused("POST", { "sec-fetch-site": "same-origin" })).toBeNull();
    expect(refused("POST", { referer: "http://app.example:3000/alerts/1" })).toBeNull();
    expect(refused("POST", {}, false)).toBeNull();
    expect(refusedWrite("POST", "/api/events", headers({}), true)).toBeNull();
  });
});

describe("the proxy on writes without Origin", () => {
  const SESSION = "mailflow.session_token=abc.def";
  const write = (path: string, h: Record<string, string>) =>
    proxy(new NextRequest(`http://app.example:3000${path}`, { method: "POST", headers: { host: "app.example:3000", "content-type": "application/json", ...h } }));
  const passed = (res: Response) => res.headers.get("x-middleware-next") === "1";

  it("refuses a session-cookie write that shows no origin, and says why", async () => {
    const extras: Record<string, string>[] = [{}, { referer: "https://evil.example/page" }, { "sec-fetch-site": "same-site" }, { "sec-fetch-site": "none" }];
    for (const extra of extras) {
      const res = write("/api/alerts/1/actions", { cookie: SESSION, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(403);
      expect((await res.json()).detail).toMatch(/Origin/);
    }
  });

  it("lets a session-cookie write through when Origin, Sec-Fetch-Site or the Referer shows this site", () => {
    expect(passed(write("/api/alerts/1/actions", { cookie: SESSION, origin: "http://app.example:3000" }))).toBe(true);
    expect(passed(write("/api/alerts/1/actions", { cookie: SESSION, "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(passed(write("/api/alerts/1/actions", { cookie: SESSION, referer: "http://app.example:3000/alerts/1" }))).toBe(true);
  });

  it("lets clients without a session cookie write without Origin: ingest with a token, sign-in", () => {
    expect(passed(write("/api/events", { authorization: "Bearer mf_x" }))).toBe(true);
    // Ingest authenticates by token alone, so a cookie sent along gives the request no authority.
    expect(passed(write("/api/events", { authorization: "Bearer mf_x", cookie: SESSION }))).toBe(true);
    expect(passed(write("/api/auth/sign-in/email", {}))).toBe(true);
  });
});

describe("pages and redirects", () => {
  it("sends people back only to paths of this site", () => {
    expect(safeNextPath("/alerts/3?x=1")).toBe("/alerts/3?x=1");
    for (const bad of [null, "", "https://evil.example", "//evil.example", "/\\evil.example", "alerts"]) expect(safeNextPath(bad)).toBe("/");
  });

  it("keeps only sign-in, auth, health and token-authenticated ingest public", () => {
    expect(["/sign-in", "/api/auth/sign-in/email", "/api/health", "/api/events"].every(isPublicPath)).toBe(true);
    expect(["/", "/alerts/1", "/settings/users", "/sign-in/x", "/api/alerts"].some(isPublicPath)).toBe(false);
  });

  it("allows scripts only by nonce, and no framing", () => {
    const csp = contentSecurityPolicy("abc", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy("abc", true)).toContain("'unsafe-eval'");
  });
});

describe("API method table", () => {
  it("knows each route's methods and treats HEAD as GET", () => {
    expect(allowedMethods("/api/alerts/12/fix-now")).toEqual(["GET", "POST"]);
    expect(allowedMethods("/api/auth/sign-in/email")).toEqual(["GET", "POST"]);
    expect(allowedMethods("/api/nothing")).toBeNull();
    expect(methodAllowed("HEAD", ["GET"])).toBe(true);
    expect(methodAllowed("PUT", ["GET", "POST"])).toBe(false);
  });
});

describe("ingest tokens", () => {
  it("are random, prefixed and hashed", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a.token).not.toBe(b.token);
    expect(a.token.startsWith(a.prefix)).toBe(true);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("are read only from a well-formed Bearer header", () => {
    expect(bearerToken("Bearer mf_abcdefghijk")).toBe("mf_abcdefghijk");
    for (const bad of [null, "", "Bearer", "bearer mf_abcdefghijk", "Basic mf_abcdefghijk", "Bearer mf_abc def", `Bearer ${"x".repeat(300)}`]) expect(bearerToken(bad)).toBeNull();
  });
});

describe("roles", () => {
  it("parse case-insensitively and refuse with a 403 that says nothing changed", () => {
    expect(parseRole(" admin ")).toBe("ADMIN");
    expect(parseRole("root")).toBeNull();
    expect(can("OPERATOR", "manage")).toBe(false);
    expect(() => requireRole({ id: "1", email: "", name: "v", role: "VIEWER" }, "remediate")).toThrow(/Nothing was changed/);
  });
});
