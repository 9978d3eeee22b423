import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossOriginWrite, isPublicPath, safeNextPath } from "@/lib/auth/request-guards";
import { bearerToken, generateToken, hashToken } from "@/lib/auth/token-format";
import { allowedMethods, methodAllowed } from "@/lib/http/api-routes";
import { can, parseRole, requireRole } from "@/lib/auth/roles";

const headers = (h: Record<string, string>) => new Headers({ host: "app.example:3000", ...h });

describe("cross-origin writes", () => {
  it("refuse another Origin, a null Origin and cross-site fetches; allow same origin, reads and non-browsers", () => {
    expect(isCrossOriginWrite("POST", headers({ origin: "https://evil.example" }))).toBe(true);
    expect(isCrossOriginWrite("DELETE", headers({ origin: "null" }))).toBe(true);
    expect(isCrossOriginWrite("POST", headers({ origin: "not a url" }))).toBe(true);
    expect(isCrossOriginWrite("PATCH", headers({ "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossOriginWrite("POST", headers({ origin: "http://app.example:3000" }))).toBe(false);
    expect(isCrossOriginWrite("GET", headers({ origin: "https://evil.example" }))).toBe(false);
    expect(isCrossOriginWrite("POST", headers({}))).toBe(false);
    expect(isCrossOriginWrite("POST", headers({ "sec-fetch-site": "same-origin" }))).toBe(false);
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
