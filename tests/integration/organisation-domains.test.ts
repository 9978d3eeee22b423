import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as historyRoute from "@/app/api/connectors/[id]/history/route";
import * as retireRoute from "@/app/api/connectors/[id]/retire/route";
import * as domainsRoute from "@/app/api/domains/route";
import * as domainRoute from "@/app/api/domains/[id]/route";
import type { Role } from "@/lib/auth/roles";
import type { ConnectorHistory } from "@/lib/connectors/schemas";
import type { DomainList } from "@/lib/domains/schemas";
import type { DomainRecord } from "@/lib/organisation/schemas";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { createConnector } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Accepted domains managed through the API: add, change type and relaying connector, remove;
// audited on the domain and shown on the timeline of the connector it relayed through.
let t: TestDatabase;
const cookies: Partial<Record<Role, string>> = {};
let onPrem: { id: number };
let partner: { id: number };

beforeAll(async () => {
  t = await createAppTestDatabase();
  for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) cookies[role] = (await createSignedInUser(t.db, role, `${role.toLowerCase()} user`)).cookie;
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await t.db.$executeRawUnsafe(`TRUNCATE "AuditEntry", "AcceptedDomain", "Connector" RESTART IDENTITY CASCADE`);
  onPrem = await createConnector(t.db, { name: "On-prem" });
  partner = await createConnector(t.db, { name: "Partner", kind: "PARTNER" });
});

const send = (role: Role, method: string, url: string, body?: unknown) =>
  new Request(`http://localhost${url}`, {
    method,
    headers: { cookie: cookies[role]!, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
type Answer = { status: number; body: DomainRecord & { detail: string; issues?: { field: string; message: string }[]; deleted?: { id: number; name: string } } };
const answer = async (res: Response): Promise<Answer> => ({ status: res.status, body: await res.json() });

const add = async (body: unknown, role: Role = "ADMIN") => answer(await domainsRoute.POST(send(role, "POST", "/api/domains", body), undefined));
const change = async (id: number, body: unknown, role: Role = "ADMIN") => answer(await domainRoute.PATCH(send(role, "PATCH", `/api/domains/${id}`, body), params(id)));
const remove = async (id: number, role: Role = "ADMIN") => answer(await domainRoute.DELETE(send(role, "DELETE", `/api/domains/${id}`), params(id)));
const audit = () => t.db.auditEntry.findMany({ orderBy: { id: "asc" }, select: { action: true, targetId: true, before: true, after: true } });

describe("accepted domains through the API", () => {
  it("adds a domain (its name lower-cased) relaying through a connector, audited with the connector's name", async () => {
    const res = await add({ name: " Contoso.SE ", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    expect(res).toEqual({ status: 201, body: { id: 1, name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id } });
    expect(await audit()).toEqual([
      { action: "domain.create", targetId: "1", before: null, after: { name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id, connector: "On-prem" } },
    ]);
    const authoritative = await add({ name: "contoso.com", type: "AUTHORITATIVE" });
    expect(authoritative.body.connectorId).toBeNull();
  });

  it("refuses a duplicate, a connector that does not exist or is retired, and a malformed name, changing nothing", async () => {
    await add({ name: "contoso.se", type: "AUTHORITATIVE" });
    const before = await snapshotData(t.db);
    const duplicate = await add({ name: "CONTOSO.se", type: "AUTHORITATIVE" });
    expect([duplicate.status, duplicate.body.detail]).toEqual([409, 'The accepted domain "contoso.se" already exists.']);
    const missing = await add({ name: "fabrikam.com", type: "EXTERNAL_RELAY", connectorId: 424242 });
    expect([missing.status, missing.body.issues]).toEqual([400, [{ field: "connectorId", message: "is not a connector" }]]);
    expect((await add({ name: "https://contoso.se/", type: "AUTHORITATIVE" })).status).toBe(400);
    expect((await add({ name: "fabrikam.com", type: "RELAY" })).status).toBe(400);
    expect(await snapshotData(t.db)).toEqual(before);

    await retireRoute.POST(send("ADMIN", "POST", `/api/connectors/${partner.id}/retire`), params(partner.id));
    const retired = await add({ name: "fabrikam.com", type: "EXTERNAL_RELAY", connectorId: partner.id });
    expect(retired.status).toBe(409);
    expect(retired.body.detail).toMatch(/^"Partner" was retired on \d{4}-\d\d-\d\d by admin user, so no domain can relay through it; restore it first/);
  });

  it("changes the type and the relaying connector, audits only those (with the domain's name), and ignores an edit that changes nothing", async () => {
    const { body: domain } = await add({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    expect((await change(domain.id, { type: "AUTHORITATIVE" })).body).toEqual({ ...domain, type: "AUTHORITATIVE" });
    expect((await change(domain.id, { connectorId: partner.id, type: "AUTHORITATIVE" })).body.connectorId).toBe(partner.id);
    expect((await change(domain.id, { connectorId: null })).body.connectorId).toBeNull();
    expect((await change(domain.id, { connectorId: null })).status).toBe(200);
    expect((await audit()).slice(1)).toEqual([
      { action: "domain.update", targetId: String(domain.id), before: { name: "contoso.se", type: "INTERNAL_RELAY" }, after: { name: "contoso.se", type: "AUTHORITATIVE" } },
      { action: "domain.update", targetId: String(domain.id), before: { name: "contoso.se", connectorId: onPrem.id, connector: "On-prem" }, after: { name: "contoso.se", connectorId: partner.id, connector: "Partner" } },
      { action: "domain.update", targetId: String(domain.id), before: { name: "contoso.se", connectorId: partner.id, connector: "Partner" }, after: { name: "contoso.se", connectorId: null, connector: null } },
    ]);
    expect((await change(domain.id, { name: "fabrikam.com" })).status).toBe(400);
    expect((await change(domain.id, {})).status).toBe(400);
    expect((await change(424242, { type: "AUTHORITATIVE" })).status).toBe(404);
  });

  it("lets a domain keep a connector retired since, changing its type, but not move to it", async () => {
    const { body: domain } = await add({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    await retireRoute.POST(send("ADMIN", "POST", `/api/connectors/${onPrem.id}/retire`), params(onPrem.id));
    const kept = await change(domain.id, { type: "AUTHORITATIVE", connectorId: onPrem.id });
    expect([kept.status, kept.body.type, kept.body.connectorId]).toEqual([200, "AUTHORITATIVE", onPrem.id]);
    await change(domain.id, { connectorId: null });
    expect((await change(domain.id, { connectorId: onPrem.id })).status).toBe(409);
  });

  it("removes a domain, audited with what it was; its changes stay in the audit log", async () => {
    const { body: domain } = await add({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    expect((await remove(domain.id)).body.deleted).toEqual({ id: domain.id, name: "contoso.se" });
    expect(await t.db.acceptedDomain.count()).toBe(0);
    expect((await audit()).at(-1)).toEqual({ action: "domain.delete", targetId: String(domain.id), before: { name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id, connector: "On-prem" }, after: null });
    expect((await remove(domain.id)).status).toBe(404);
  });

  it("lists each domain's own changes, newest first", async () => {
    const { body: domain } = await add({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    await change(domain.id, { type: "AUTHORITATIVE" });
    const list = (await (await domainsRoute.GET(send("VIEWER", "GET", "/api/domains"), undefined)).json()) as DomainList;
    expect(list.items[0]!.changes.map((c) => c.action)).toEqual(["domain.update", "domain.create"]);
  });

  it("refuses a viewer's and an operator's writes with 403, changing nothing", async () => {
    const { body: domain } = await add({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    const before = await snapshotData(t.db);
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      const answers = [(await add({ name: "fabrikam.com", type: "AUTHORITATIVE" }, role)).status, (await change(domain.id, { type: "AUTHORITATIVE" }, role)).status, (await remove(domain.id, role)).status];
      expect(answers, role).toEqual([403, 403, 403]);
    }
    expect(await snapshotData(t.db)).toEqual(before);
  });
});

describe("a domain's changes on the connectors' timelines", () => {
  const timeline = async (id: number) => {
    const res = await historyRoute.GET(send("VIEWER", "GET", `/api/connectors/${id}/history`), params(id));
    return ((await res.json()) as ConnectorHistory).changes.map((c) => `${c.action} ${JSON.stringify(c.after)}`);
  };

  it("show on the connector the domain relayed through at the time; a move shows on both, a removal where it was", async () => {
    const { body: moved } = await add({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    await change(moved.id, { type: "AUTHORITATIVE" });
    await change(moved.id, { connectorId: partner.id });
    await change(moved.id, { type: "EXTERNAL_RELAY" });
    const { body: removed } = await add({ name: "old.contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    await remove(removed.id);

    expect(await timeline(onPrem.id)).toEqual([
      'domain.create {"name":"contoso.se","type":"INTERNAL_RELAY","connector":"On-prem","connectorId":1}',
      'domain.update {"name":"contoso.se","type":"AUTHORITATIVE"}',
      `domain.update {"name":"contoso.se","connector":"Partner","connectorId":${partner.id}}`,
      'domain.create {"name":"old.contoso.se","type":"INTERNAL_RELAY","connector":"On-prem","connectorId":1}',
      "domain.delete null",
    ]);
    expect(await timeline(partner.id)).toEqual([
      `domain.update {"name":"contoso.se","connector":"Partner","connectorId":${partner.id}}`,
      'domain.update {"name":"contoso.se","type":"EXTERNAL_RELAY"}',
    ]);
  });
});
