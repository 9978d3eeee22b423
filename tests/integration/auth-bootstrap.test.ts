import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapFirstAdmin, DEMO_ADMIN_EMAIL } from "@/lib/auth/bootstrap";
import { ensureAuthSecret } from "@/lib/auth/secret";
import { env, resetEnvCache } from "@/lib/env";
import { signIn } from "@/tests/helpers/auth-session";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// First start: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD or, with demo data, a demo admin
// whose password is printed; never a second one. The cookie secret is made once and kept.
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createAppTestDatabase(2);
  dir = await mkdtemp(path.join(os.tmpdir(), "mf-secret-"));
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("first start", () => {
  it("makes nobody without configuration or demo data", async () => {
    expect(await bootstrapFirstAdmin(t.db, { demo: false })).toEqual({ kind: "none" });
    expect(await t.db.user.count()).toBe(0);
  });

  it("makes the demo admin with a generated password that signs in, once", async () => {
    const result = await bootstrapFirstAdmin(t.db, { demo: true });
    expect(result).toMatchObject({ kind: "demo", email: DEMO_ADMIN_EMAIL });
    const password = result.kind === "demo" ? result.password : "";
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(await signIn(DEMO_ADMIN_EMAIL, password)).toMatch(/mailflow\.session_token=/);
    expect(await bootstrapFirstAdmin(t.db, { demo: true, adminEmail: "x@example.test", adminPassword: "long enough password" })).toEqual({ kind: "existing" });
    const admin = await t.db.user.findFirstOrThrow();
    expect(admin.role).toBe("ADMIN");
    expect(await t.db.auditEntry.findMany({ select: { actor: true, action: true, targetId: true } })).toEqual([{ actor: "first start", action: "user.create", targetId: admin.id }]);
  });

  it("prefers ADMIN_EMAIL and ADMIN_PASSWORD over the demo admin", async () => {
    await t.db.user.deleteMany();
    expect(await bootstrapFirstAdmin(t.db, { demo: true, adminEmail: "Boss@Example.test", adminPassword: "the boss password" })).toEqual({ kind: "admin", email: "boss@example.test" });
    expect(await signIn("boss@example.test", "the boss password")).toMatch(/mailflow\.session_token=/);
    const boss = await t.db.user.findUniqueOrThrow({ where: { email: "boss@example.test" } });
    expect(await t.db.auditEntry.count({ where: { action: "user.create", actor: "first start", targetId: boss.id } })).toBe(1);
  });
});

describe("auth secret", () => {
  it("is made once, kept readable by the owner only, and reused", async () => {
    const saved = process.env.AUTH_SECRET;
    delete process.env.AUTH_SECRET;
    resetEnvCache();
    try {
      const file = path.join(dir, "nested", "auth-secret");
      expect(await ensureAuthSecret(file)).toBe("created");
      const secret = env().AUTH_SECRET;
      expect(secret?.length).toBeGreaterThanOrEqual(32);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      delete process.env.AUTH_SECRET;
      resetEnvCache();
      expect(await ensureAuthSecret(file)).toBe("stored");
      expect(env().AUTH_SECRET).toBe(secret);
      expect(await ensureAuthSecret(file)).toBe("configured");
    } finally {
      if (saved === undefined) delete process.env.AUTH_SECRET;
      else process.env.AUTH_SECRET = saved;
      resetEnvCache();
    }
  });
});
