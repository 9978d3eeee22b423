import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t?.drop(); });

it("migrates a fresh database and the Prisma client can use it", async () => {
  const c = await t.db.connector.create({ data: { name: "x", kind: "PARTNER", smartHosts: [], recipientDomains: [] } });
  expect(c.id).toBeGreaterThan(0);
});
