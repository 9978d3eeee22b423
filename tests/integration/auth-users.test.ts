import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/users";
import { testActor } from "@/tests/helpers/actors";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// A user and the audit entry that says who made them commit together or not at all.
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase(2);
});
afterAll(async () => { await t?.drop(); });

describe("createUser", () => {
  it("writes the user, their sign-in account and the audit entry in one transaction", async () => {
    const user = await createUser(t.db, testActor("Ada Admin", "ADMIN"), { email: "new@example.test", name: "New", role: "VIEWER", password: "a long enough password" });
    const [account, audit] = await Promise.all([
      t.db.account.findFirstOrThrow({ where: { userId: user.id } }),
      t.db.auditEntry.findFirstOrThrow({ where: { action: "user.create", targetId: user.id } }),
    ]);
    expect(account.providerId).toBe("credential");
    expect(audit).toMatchObject({ actor: "Ada Admin", targetType: "user", after: { email: "new@example.test", name: "New", role: "VIEWER" } });
  });

  it("leaves no user behind when the audit entry cannot be written", async () => {
    await t.db.$executeRawUnsafe(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    try {
      const accounts = await t.db.account.count();
      const input = { email: "unaudited@example.test", name: "Unaudited", role: "ADMIN" as const, password: "a long enough password" };
      await expect(createUser(t.db, testActor("Ada Admin", "ADMIN"), input)).rejects.toThrow(/audit refused by the test/);
      expect(await t.db.user.count({ where: { email: input.email } })).toBe(0);
      expect(await t.db.account.count()).toBe(accounts);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER refuse_audit ON "AuditEntry"`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION refuse_audit()`);
    }
  });
});
