import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getSession, POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as listAlerts } from "@/app/api/alerts/route";
import { resetEnvCache } from "@/lib/env";
import { createSignedInUser, signIn, signInRequest, TEST_PASSWORD } from "@/tests/helpers/auth-session";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Sign-in through better-auth's HTTP endpoint against real Postgres: argon2id hashes, database
// sessions with a fixed lifetime, sign-out, no sign-up, and both sign-in rate limits.
let t: TestDatabase;
const PER_ADDRESS = 6;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.LOGIN_MAX_PER_ADDRESS = String(PER_ADDRESS);
  process.env.SESSION_HOURS = "8";
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.LOGIN_MAX_PER_ADDRESS;
  await t?.drop();
});

const alertsWith = (cookie: string) => listAlerts(new Request("http://localhost/api/alerts", { headers: { cookie } }), undefined);

describe("sign-in", () => {
  it("stores an argon2id hash, sets an httpOnly session cookie and a database session of fixed lifetime", async () => {
    const { actor, cookie } = await createSignedInUser(t.db, "VIEWER", "vera");
    const account = await t.db.account.findFirstOrThrow({ where: { userId: actor.id } });
    expect(account.providerId).toBe("credential");
    expect(account.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(account.password).not.toContain(TEST_PASSWORD);

    const [session] = await t.db.session.findMany({ where: { userId: actor.id } });
    const lifetime = session!.expiresAt.getTime() - session!.createdAt.getTime();
    expect(Math.abs(lifetime - 8 * 3600_000)).toBeLessThan(1000);
    expect((await alertsWith(cookie)).status).toBe(200);
    // Using the session does not extend it.
    await getSession(new Request("http://localhost/api/auth/get-session", { headers: { cookie } }), undefined);
    const after = await t.db.session.findUniqueOrThrow({ where: { id: session!.id } });
    expect(after.expiresAt).toEqual(session!.expiresAt);
  });

  it("sets the cookie httpOnly and SameSite=Lax", async () => {
    await createSignedInUser(t.db, "VIEWER", "cookie");
    const user = await t.db.user.findFirstOrThrow({ where: { name: "cookie" } });
    const res = await signInRequest(user.email, TEST_PASSWORD, { "x-forwarded-for": "10.200.0.1" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("mailflow.session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("refuses a wrong password with a problem+json 401 and no session", async () => {
    const { actor } = await createSignedInUser(t.db, "VIEWER", "wanda");
    const sessions = await t.db.session.count({ where: { userId: actor.id } });
    const res = await signInRequest(actor.email, "not the right password", { "x-forwarded-for": "10.200.0.2" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await res.json()).detail).toMatch(/invalid email or password/i);
    expect(await t.db.session.count({ where: { userId: actor.id } })).toBe(sessions);
  });

  it("refuses an expired session and a signed-out one", async () => {
    const { actor, cookie } = await createSignedInUser(t.db, "VIEWER", "ella");
    await t.db.session.updateMany({ where: { userId: actor.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await alertsWith(cookie)).status).toBe(401);

    const fresh = await signIn(actor.email, TEST_PASSWORD);
    expect((await alertsWith(fresh)).status).toBe(200);
    const out = await authPost(new Request("http://localhost/api/auth/sign-out", { method: "POST", headers: { cookie: fresh, "content-type": "application/json" }, body: "{}" }), undefined);
    expect(out.status).toBe(200);
    expect((await alertsWith(fresh)).status).toBe(401);
  });

  it("has no sign-up: nobody can create an account for themselves", async () => {
    const users = await t.db.user.count();
    const res = await authPost(
      new Request("http://localhost/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "10.200.0.3" },
        body: JSON.stringify({ email: "mallory@example.test", password: "a long enough password", name: "Mallory" }),
      }),
      undefined,
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await t.db.user.count()).toBe(users);
  });
});

describe("sign-in rate limits", () => {
  it("slows an account down after five wrong passwords, from any address, with 429 and Retry-After", async () => {
    const { actor } = await createSignedInUser(t.db, "ADMIN", "target");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await signInRequest(actor.email, `guess ${i}`, { "x-forwarded-for": `10.201.${i}.1` });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect((await res.json()).detail).toMatch(/Too many failed sign-ins for this account/);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(29);
    // The right password waits too; the email's case does not matter.
    expect((await signInRequest(actor.email.toUpperCase(), TEST_PASSWORD, { "x-forwarded-for": "10.201.9.1" })).status).toBe(429);
  });

  it("counts parallel guesses one by one: no more than five get through to the password check", async () => {
    const { actor } = await createSignedInUser(t.db, "ADMIN", "parallel");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signInRequest(actor.email, `guess ${i}`, { "x-forwarded-for": `10.202.${i}.1` })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it("forgets failures after a successful sign-in", async () => {
    const { actor } = await createSignedInUser(t.db, "VIEWER", "forgetful");
    for (let i = 0; i < 3; i++) await signInRequest(actor.email, `guess ${i}`, { "x-forwarded-for": `10.203.${i}.1` });
    expect(await t.db.loginThrottle.count({ where: { key: actor.email } })).toBe(1);
    await signIn(actor.email, TEST_PASSWORD);
    expect(await t.db.loginThrottle.count({ where: { key: actor.email } })).toBe(0);
  });

  it("limits sign-in attempts per address, whatever the account", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i <= PER_ADDRESS; i++) {
      const res = await signInRequest(`nobody${i}@example.test`, "whatever password", { "x-forwarded-for": "10.204.0.1" });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, PER_ADDRESS).every((s) => s === 401)).toBe(true);
    expect(statuses[PER_ADDRESS]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
