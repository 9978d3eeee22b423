import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as actionsRoute from "@/app/api/alerts/[id]/actions/route";
import * as fixNowRoute from "@/app/api/alerts/[id]/fix-now/route";
import * as undoRoute from "@/app/api/alerts/[id]/fix-now/undo/route";
import * as alertsRoute from "@/app/api/alerts/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as userRoute from "@/app/api/users/[id]/route";
import * as usersRoute from "@/app/api/users/route";
import { can, type Role } from "@/lib/auth/roles";
import { ROLES } from "@/lib/db/enums";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { createConnector, createDomain } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Roles are checked on the server, in the lib/ services: a viewer's forged request is refused
// with 403 and changes nothing; an operator's Fix now is recorded under their name.
let t: TestDatabase;
const cookies: Record<string, string> = {};
const names: Record<string, string> = {};
let alertId: number;
let connectorId: number;

beforeAll(async () => {
  t = await createAppTestDatabase();
  for (const [role, name] of [["VIEWER", "Vic Viewer"], ["OPERATOR", "Ola Operator"], ["ADMIN", "Ada Admin"]] as const) {
    const user = await createSignedInUser(t.db, role, name);
    cookies[role] = user.cookie;
    names[role] = user.actor.name;
  }
  const connector = await createConnector(t.db, { name: "To contoso on-premises", kind: "ON_PREMISES" });
  connectorId = connector.id;
  await createDomain(t.db, { name: "relay.contoso.example", type: "INTERNAL_RELAY", connectorId });
  const T0 = new Date(Date.now() - 3600_000);
  const alert = await t.db.alert.create({ data: { connectorId, errorCode: "4.4.316", firstSeenAt: T0, lastSeenAt: T0, eventCount: 3, messageCount: 1, queuedCount: 1, oldestQueuedAt: T0 } });
  alertId = alert.id;
  await t.db.queuedMessage.create({
    data: { connectorId, alertId, messageId: "<q1@contoso.example>", recipient: "a@relay.contoso.example", state: "QUEUED", errorCode: "4.4.316", firstAttemptAt: T0, lastAttemptAt: T0, expiresAt: new Date(T0.getTime() + 86_400_000) },
  });
});
afterAll(async () => { await t?.drop(); });

const params = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const json = (role: Role | null, url: string, method = "POST", body: unknown = {}) =>
  new Request(url, { method, headers: { "content-type": "application/json", ...(role ? { cookie: cookies[role]! } : {}) }, body: JSON.stringify(body) });
const get = (role: Role | null, url: string) => new Request(url, { headers: role ? { cookie: cookies[role]! } : {} });

describe("roles", () => {
  it("are ordered viewer < operator < admin", () => {
    expect(ROLES.map((r) => [r, can(r, "read"), can(r, "remediate"), can(r, "manage")])).toEqual([
      ["VIEWER", true, false, false],
      ["OPERATOR", true, true, false],
      ["ADMIN", true, true, true],
    ]);
  });

  it("let every signed-in role read, and nobody signed out", async () => {
    for (const role of ROLES) expect((await alertsRoute.GET(get(role, "http://localhost/api/alerts"), undefined)).status).toBe(200);
    const res = await alertsRoute.GET(get(null, "http://localhost/api/alerts"), undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuse a viewer's forged Fix now, Undo and alert actions with 403, changing nothing", async () => {
    const before = await snapshotData(t.db);
    const url = `http://localhost/api/alerts/${alertId}`;
    const answers = [
      await fixNowRoute.POST(json("VIEWER", `${url}/fix-now`), params(alertId)),
      await undoRoute.POST(json("VIEWER", `${url}/fix-now/undo`), params(alertId)),
      await actionsRoute.POST(json("VIEWER", `${url}/actions`, "POST", { action: "acknowledge" }), params(alertId)),
      await actionsRoute.POST(json("VIEWER", `${url}/actions`, "POST", { action: "dismiss", reason: "noise" }), params(alertId)),
      await fixNowRoute.POST(json(null, `${url}/fix-now`), params(alertId)),
    ];
    expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403, 401]);
    expect((await answers[0]!.json()).detail).toBe("Your role (viewer) may not change alerts or apply remediations; ask an admin. Nothing was changed.");
    expect(await snapshotData(t.db)).toEqual(before);
    // The viewer may still look at what Fix now would do.
    expect((await fixNowRoute.GET(get("VIEWER", `${url}/fix-now`), params(alertId))).status).toBe(200);
  });

  it("let an operator apply Fix now and Undo, audited under their name", async () => {
    const url = `http://localhost/api/alerts/${alertId}`;
    const applied = await fixNowRoute.POST(json("OPERATOR", `${url}/fix-now`), params(alertId));
    expect(applied.status).toBe(200);
    const alert = await t.db.alert.findUniqueOrThrow({ where: { id: alertId } });
    expect(alert).toMatchObject({ status: "RESOLVED", remediatedBy: "Ola Operator" });
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: connectorId } })).enabled).toBe(false);
    const audit = await t.db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["connector.disable", "Ola Operator"],
      ["domain.type", "Ola Operator"],
      ["remediation.apply", "Ola Operator"],
    ]);
    expect((await undoRoute.POST(json("OPERATOR", `${url}/fix-now/undo`), params(alertId))).status).toBe(200);
    expect((await t.db.remediation.findFirstOrThrow({ where: { alertId } })).undoneBy).toBe("Ola Operator");
  });

  it("keep users and tokens to admins", async () => {
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      expect((await usersRoute.GET(get(role, "http://localhost/api/users"), undefined)).status).toBe(403);
      expect((await tokensRoute.GET(get(role, "http://localhost/api/tokens"), undefined)).status).toBe(403);
      expect((await tokensRoute.POST(json(role, "http://localhost/api/tokens", "POST", { name: "sneaky" }), undefined)).status).toBe(403);
      const promote = await usersRoute.POST(json(role, "http://localhost/api/users", "POST", { email: "x@example.test", name: "X", role: "ADMIN", password: "long enough password" }), undefined);
      expect(promote.status).toBe(403);
    }
    expect(await t.db.apiToken.count()).toBe(0);
    expect((await usersRoute.GET(get("ADMIN", "http://localhost/api/users"), undefined)).status).toBe(200);
  });

  it("let an admin add a user and change roles, but never demote the last admin", async () => {
    const created = await usersRoute.POST(json("ADMIN", "http://localhost/api/users", "POST", { email: "New.Person@Example.test", name: "New Person", role: "VIEWER", password: "a long enough password" }), undefined);
    expect(created.status).toBe(201);
    const user = await created.json();
    expect(user).toMatchObject({ email: "new.person@example.test", role: "VIEWER" });
    const duplicate = await usersRoute.POST(json("ADMIN", "http://localhost/api/users", "POST", { email: "new.person@example.test", name: "Again", role: "VIEWER", password: "a long enough password" }), undefined);
    expect(duplicate.status).toBe(409);

    const promoted = await userRoute.PATCH(json("ADMIN", `http://localhost/api/users/${user.id}`, "PATCH", { role: "OPERATOR" }), params(user.id));
    expect((await promoted.json()).role).toBe("OPERATOR");
    const admin = await t.db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    const demote = await userRoute.PATCH(json("ADMIN", `http://localhost/api/users/${admin.id}`, "PATCH", { role: "VIEWER" }), params(admin.id));
    expect(demote.status).toBe(409);
    expect((await demote.json()).detail).toMatch(/only admin/);
    const audit = await t.db.auditEntry.findMany({ where: { targetType: "user" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([["user.create", "Ada Admin"], ["user.role", "Ada Admin"]]);
  });

  it("take a demoted user's new role at their next request", async () => {
    const { actor, cookie } = await createSignedInUser(t.db, "OPERATOR", "Demoted");
    await t.db.user.update({ where: { id: actor.id }, data: { role: "VIEWER" } });
    const res = await actionsRoute.POST(
      new Request(`http://localhost/api/alerts/${alertId}/actions`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ action: "acknowledge" }) }),
      params(alertId),
    );
    expect(res.status).toBe(403);
  });
});
