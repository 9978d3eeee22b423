import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as connectorsRoute from "@/app/api/connectors/route";
import * as connectorRoute from "@/app/api/connectors/[id]/route";
import * as historyRoute from "@/app/api/connectors/[id]/history/route";
import * as retireRoute from "@/app/api/connectors/[id]/retire/route";
import type { Role } from "@/lib/auth/roles";
import type { ConnectorHistory, ConnectorList, ConnectorRecord } from "@/lib/connectors/schemas";
import { ingestEvents, ingestObservations } from "@/lib/events/ingest";
import { sweepQueues } from "@/lib/events/sweep";
import { updateConnector } from "@/lib/organisation/connector-service";
import { testActor } from "@/tests/helpers/actors";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { buildEvent, createDomain } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Connectors managed through the API, end to end: route → service → Postgres, with the audit
// entries each change writes and the connector's timeline that shows them.
let t: TestDatabase;
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await createAppTestDatabase();
  for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) cookies[role] = (await createSignedInUser(t.db, role, `${role.toLowerCase()} user`)).cookie;
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await t.db.$executeRawUnsafe(`TRUNCATE "DeliveryEvent", "EventClientId", "EventHourlyCount", "QueuedMessage", "Alert", "AuditEntry", "AcceptedDomain", "Connector" RESTART IDENTITY CASCADE`);
});

const ORIGIN = "http://localhost";
const send = (role: Role, method: string, url: string, body?: unknown) =>
  new Request(`${ORIGIN}${url}`, {
    method,
    headers: { cookie: cookies[role]!, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });

const onPremises = {
  name: "To on-premises Exchange",
  comment: "Hybrid route",
  kind: "ON_PREMISES",
  smartHosts: ["mail.contoso.se", "[2001:db8::25]:587"],
  recipientDomains: ["contoso.se", "*.contoso.se"],
  tlsMode: "DOMAIN_VALIDATION",
  tlsDomain: "mail.contoso.se",
};

async function create(body: unknown = onPremises, role: Role = "ADMIN") {
  const res = await connectorsRoute.POST(send(role, "POST", "/api/connectors", body), undefined);
  return { status: res.status, body: (await res.json()) as ConnectorRecord & { detail: string; issues?: { field: string; message: string }[] } };
}

const patch = async (id: number, body: unknown, role: Role = "ADMIN") => {
  const res = await connectorRoute.PATCH(send(role, "PATCH", `/api/connectors/${id}`, body), params(id));
  return { status: res.status, body: (await res.json()) as ConnectorRecord & { detail: string } };
};
const remove = async (id: number, role: Role = "ADMIN") => {
  const res = await connectorRoute.DELETE(send(role, "DELETE", `/api/connectors/${id}`), params(id));
  return { status: res.status, body: (await res.json()) as { deleted?: { id: number; name: string }; detail?: string } };
};
const retire = async (id: number, role: Role = "ADMIN") => {
  const res = await retireRoute.POST(send(role, "POST", `/api/connectors/${id}/retire`), params(id));
  return { status: res.status, body: (await res.json()) as ConnectorRecord & { detail: string } };
};
const restore = async (id: number) => {
  const res = await retireRoute.DELETE(send("ADMIN", "DELETE", `/api/connectors/${id}/retire`), params(id));
  return { status: res.status, body: (await res.json()) as ConnectorRecord & { detail: string } };
};
const audit = () => t.db.auditEntry.findMany({ orderBy: { id: "asc" }, select: { actor: true, action: true, targetType: true, targetId: true, before: true, after: true, note: true } });

describe("connectors through the API", () => {
  it("adds a connector with its fields in canonical form and audits all of them", async () => {
    const { status, body } = await create({ ...onPremises, smartHosts: ["MAIL.Contoso.se", "mail.contoso.se", "[2001:db8::25]:587"] });
    expect(status).toBe(201);
    expect(body).toEqual({ id: 1, ...onPremises, enabled: true, useMxRecord: false, queueLifetimeMinutes: 1440, retiredAt: null, retiredBy: null, demo: false });
    expect(await audit()).toEqual([
      { actor: "admin user", action: "connector.create", targetType: "connector", targetId: "1", before: null, after: { ...onPremises, enabled: true, useMxRecord: false, queueLifetimeMinutes: 1440 }, note: null },
    ]);
    const list = (await (await connectorsRoute.GET(send("VIEWER", "GET", "/api/connectors"), undefined)).json()) as ConnectorList;
    expect(list.items.map((c) => [c.name, c.health, c.retiredAt])).toEqual([["To on-premises Exchange", "healthy", null]]);
  });

  it("refuses a name taken ignoring case with 409, and each broken field rule with its field named", async () => {
    await create();
    const duplicate = await create({ ...onPremises, name: "  TO ON-PREMISES exchange " });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.detail).toBe('A connector named "To on-premises Exchange" already exists (names are compared ignoring case, as in Exchange).');

    const rules = await create({ name: "Partner", kind: "PARTNER", useMxRecord: true, smartHosts: ["mx.fabrikam.com"], tlsMode: "DOMAIN_VALIDATION" });
    expect(rules.status).toBe(400);
    expect(rules.body.issues).toEqual([
      { field: "smartHosts", message: "a connector that routes by MX record has no smart hosts" },
      { field: "tlsDomain", message: "domain validation needs the domain the certificate must name" },
    ]);
    const url = await create({ name: "Partner", kind: "PARTNER", smartHosts: ["smtp://mx.fabrikam.com"] });
    expect([url.status, url.body.issues?.[0]?.field]).toEqual([400, "smartHosts"]);
    expect(await t.db.connector.count()).toBe(1);
    expect(await t.db.auditEntry.count()).toBe(1);
  });

  it("gives one of two concurrent adds of the same name (in different case) the name, and the other a 409", async () => {
    const answers = await Promise.all([create({ ...onPremises, name: "Edge" }), create({ ...onPremises, name: "EDGE" }), create({ ...onPremises, name: "edge" })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(await t.db.connector.count()).toBe(1);
  });

  it("edits only what changed, audits just those fields, and does nothing for an edit that changes nothing", async () => {
    const { body: created } = await create();
    const edited = await patch(created.id, { ...onPremises, comment: "Moved to Göteborg", smartHosts: ["mail2.contoso.se"], tlsMode: "ENCRYPTION_ONLY", tlsDomain: null });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ comment: "Moved to Göteborg", smartHosts: ["mail2.contoso.se"], tlsMode: "ENCRYPTION_ONLY", tlsDomain: null });
    const again = await patch(created.id, { comment: "Moved to Göteborg" });
    expect(again.status).toBe(200);
    const entries = await audit();
    expect(entries.slice(1)).toEqual([
      {
        actor: "admin user",
        action: "connector.update",
        targetType: "connector",
        targetId: String(created.id),
        before: { comment: "Hybrid route", smartHosts: onPremises.smartHosts, tlsMode: "DOMAIN_VALIDATION", tlsDomain: "mail.contoso.se" },
        after: { comment: "Moved to Göteborg", smartHosts: ["mail2.contoso.se"], tlsMode: "ENCRYPTION_ONLY", tlsDomain: null },
        note: null,
      },
    ]);
    // Renaming to another case of its own name is allowed; checking the rules needs the stored fields.
    expect((await patch(created.id, { name: "TO ON-PREMISES EXCHANGE" })).status).toBe(200);
    expect((await patch(created.id, { tlsDomain: "mail.contoso.se" })).body.detail).toBe("Invalid tlsDomain: a TLS domain is used only with domain validation");
  });

  it("enables and disables with {enabled}, audited as Fix now's connector.enable and connector.disable", async () => {
    const { body: created } = await create();
    expect((await patch(created.id, { enabled: false })).body.enabled).toBe(false);
    expect((await patch(created.id, { enabled: true })).body.enabled).toBe(true);
    expect((await audit()).slice(1).map((e) => [e.action, e.before, e.after])).toEqual([
      ["connector.disable", { enabled: true }, { enabled: false }],
      ["connector.enable", { enabled: false }, { enabled: true }],
    ]);
  });

  it("refuses an empty or unknown-field edit, and an edit of a connector that does not exist", async () => {
    const { body: created } = await create();
    expect((await patch(created.id, {})).status).toBe(400);
    expect((await patch(created.id, { retiredAt: null })).status).toBe(400);
    expect((await patch(created.id, { enabled: "no" })).status).toBe(400);
    expect((await patch(424242, { enabled: false })).status).toBe(404);
  });

  it("deletes a connector without events; its domains keep their type and lose the connector, audited on the domain", async () => {
    const { body: created } = await create();
    const domain = await createDomain(t.db, { name: "contoso.se", type: "INTERNAL_RELAY", connectorId: created.id });
    const res = await remove(created.id);
    expect(res).toEqual({ status: 200, body: { deleted: { id: created.id, name: "To on-premises Exchange" } } });
    expect(await t.db.acceptedDomain.findUniqueOrThrow({ where: { id: domain.id } })).toMatchObject({ type: "INTERNAL_RELAY", connectorId: null });
    expect((await audit()).slice(1).map((e) => [e.action, e.targetType, e.before, e.after, e.note])).toEqual([
      ["domain.update", "domain", { name: "contoso.se", connectorId: created.id, connector: "To on-premises Exchange" }, { name: "contoso.se", connectorId: null, connector: null }, 'the connector "To on-premises Exchange" was deleted'],
      ["connector.delete", "connector", { ...onPremises, enabled: true, useMxRecord: false, queueLifetimeMinutes: 1440 }, null, null],
    ]);
    expect((await remove(created.id)).status).toBe(404);
  });

  it("deletes a connector whose only events are probes (no mail history to keep), with its validations and their alerts", async () => {
    const { body: created } = await create();
    const at = new Date(Date.now() - 60_000);
    const probe = { clientId: null, occurredAt: at, messageId: "probe:x", sender: null, recipient: null, recipientDomain: null, smtpStatus: 450,
      status: "DEFERRED" as const, errorCode: "4.4.316", errorDetails: "Validate connector, connect step: refused", destination: "mail.contoso.se:25" };
    await ingestObservations(t.db, created.id, [probe], "probe");
    expect(await t.db.alert.count({ where: { connectorId: created.id } })).toBe(1);
    const list = await connectorsRoute.GET(send("ADMIN", "GET", "/api/connectors"), undefined);
    expect(((await list.json()) as ConnectorList).items.find((c) => c.id === created.id)?.hasEvents).toBe(false);
    expect((await remove(created.id)).status).toBe(200);
    expect(await t.db.deliveryEvent.count()).toBe(0);
    expect(await t.db.alert.count()).toBe(0);
  });

  it("refuses to delete a connector with events (409: retire it), then retires it: disabled, history kept, no more edits", async () => {
    const { body: created } = await create();
    await ingestEvents(t.db, [buildEvent({ connector: created.id, occurredAt: new Date(Date.now() - 60_000).toISOString() })]);
    const before = await snapshotData(t.db);
    const refused = await remove(created.id);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('"To on-premises Exchange" has delivery events, so it cannot be deleted: retire it instead. Its history stays readable and new events for it are refused.');
    expect(await snapshotData(t.db)).toEqual(before);

    const retired = await retire(created.id);
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ enabled: false, retiredBy: "admin user", retiredAt: expect.any(String) });
    const day = retired.body.retiredAt!.slice(0, 10);
    expect((await retire(created.id)).body.detail).toBe(`"To on-premises Exchange" was already retired on ${day}.`);
    const edit = await patch(created.id, { enabled: true });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toBe(`"To on-premises Exchange" was retired on ${day} by admin user, so it cannot be changed; restore it first if it is in use again.`);
    expect((await remove(created.id)).body.detail).toBe('"To on-premises Exchange" has delivery events, so it is kept as retired and never deleted: its history stays readable.');
    // A name stays taken by the retired connector, and the message says how to get it back.
    expect((await create({ ...onPremises, name: "to on-premises exchange" })).body.detail).toBe(
      `A connector named "To on-premises Exchange" already exists (names are compared ignoring case, as in Exchange). It is retired since ${day}: restore it, or choose another name.`,
    );

    const restored = await restore(created.id);
    expect(restored.body).toMatchObject({ enabled: false, retiredAt: null, retiredBy: null });
    expect((await restore(created.id)).status).toBe(409);
    expect((await audit()).slice(1).map((e) => [e.action, e.before, e.after])).toEqual([
      ["connector.retire", { enabled: true, retiredAt: null, retiredBy: null }, { enabled: false, retiredAt: retired.body.retiredAt, retiredBy: "admin user" }],
      ["connector.restore", { retiredAt: retired.body.retiredAt, retiredBy: "admin user" }, { retiredAt: null, retiredBy: null }],
    ]);
  });

  it("refuses every write of a viewer and an operator with 403 and changes nothing; both may read", async () => {
    const { body: created } = await create();
    const before = await snapshotData(t.db);
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      const answers = [
        (await create({ ...onPremises, name: "Mine" }, role)).status,
        (await patch(created.id, { enabled: false }, role)).status,
        (await retire(created.id, role)).status,
        (await remove(created.id, role)).status,
      ];
      expect(answers, role).toEqual([403, 403, 403, 403]);
      expect((await connectorsRoute.GET(send(role, "GET", "/api/connectors"), undefined)).status).toBe(200);
    }
    expect(await snapshotData(t.db)).toEqual(before);
  });
});

describe("the queue lifetime", () => {
  const T0 = Date.parse("2026-11-26T08:00:00.000Z");
  const at = (minutes: number) => new Date(T0 + minutes * 60_000);
  const HOUR = 60;
  const queue = async () =>
    Object.fromEntries((await t.db.queuedMessage.findMany({ orderBy: { id: "asc" } })).map((m) => [m.messageId, [m.state, m.expiresAt.toISOString(), m.ndrAt?.toISOString() ?? null]]));

  it("is taken on add and edit (24 hours unless given), audited when it changes, and refused outside 1 minute to 30 days with its field named", async () => {
    const { status, body: created } = await create({ ...onPremises, queueLifetimeMinutes: 7200 });
    expect([status, created.queueLifetimeMinutes]).toEqual([201, 7200]);
    expect((await create({ ...onPremises, name: "Default" })).body.queueLifetimeMinutes).toBe(1440);
    expect((await patch(created.id, { queueLifetimeMinutes: 43_200 })).body.queueLifetimeMinutes).toBe(43_200);
    expect((await patch(created.id, { queueLifetimeMinutes: 1 })).body.queueLifetimeMinutes).toBe(1);
    expect((await patch(created.id, { queueLifetimeMinutes: 1 })).status).toBe(200);
    const entries = await audit();
    expect(entries.map((e) => [e.action, e.targetId, e.before, e.after])).toEqual([
      ["connector.create", String(created.id), null, { ...onPremises, enabled: true, useMxRecord: false, queueLifetimeMinutes: 7200 }],
      ["connector.create", "2", null, { ...onPremises, name: "Default", enabled: true, useMxRecord: false, queueLifetimeMinutes: 1440 }],
      ["connector.update", String(created.id), { queueLifetimeMinutes: 7200 }, { queueLifetimeMinutes: 43_200 }],
      ["connector.update", String(created.id), { queueLifetimeMinutes: 43_200 }, { queueLifetimeMinutes: 1 }],
    ]);

    const before = await snapshotData(t.db);
    const refusals: [unknown, string][] = [
      [0, "must be at least 1 minute"],
      [43_201, "must be at most 43200 minutes (30 days)"],
      [90.5, "must be a whole number of minutes"],
      ["120", "must be a whole number of minutes from 1 to 43200"],
      [null, "must be a whole number of minutes from 1 to 43200"],
    ];
    for (const [value, message] of refusals) {
      for (const answer of [await patch(created.id, { queueLifetimeMinutes: value }), await create({ ...onPremises, name: "New", queueLifetimeMinutes: value })]) {
        expect([answer.status, (answer.body as { issues?: unknown }).issues], String(value)).toEqual([400, [{ field: "queueLifetimeMinutes", message }]]);
      }
    }
    expect(await snapshotData(t.db)).toEqual(before);
    const list = (await (await connectorsRoute.GET(send("VIEWER", "GET", "/api/connectors"), undefined)).json()) as ConnectorList;
    expect(list.items.map((c) => [c.name, c.queueLifetimeMinutes])).toEqual([["Default", 1440], ["To on-premises Exchange", 1]]);
  });

  it("re-times the connector's queued messages when it changes, and the sweep expires them at their new time", async () => {
    const { body: postfix } = await create();
    const { body: other } = await create({ ...onPremises, name: "Other" });
    await ingestEvents(t.db, [
      buildEvent({ connector: postfix.id, messageId: "a", occurredAt: at(0).toISOString() }),
      buildEvent({ connector: postfix.id, messageId: "b", occurredAt: at(60).toISOString() }),
      buildEvent({ connector: postfix.id, messageId: "done", recipient: "bo@contoso.se", occurredAt: at(10).toISOString() }),
      buildEvent({ connector: postfix.id, messageId: "done", recipient: "bo@contoso.se", occurredAt: at(20).toISOString(), status: "delivered", errorCode: undefined }),
      buildEvent({ connector: other.id, messageId: "elsewhere", occurredAt: at(0).toISOString() }),
    ], { now: at(90) });
    const iso = (minutes: number) => at(minutes).toISOString();
    expect(await queue()).toEqual({ a: ["QUEUED", iso(24 * HOUR), null], b: ["QUEUED", iso(25 * HOUR), null], done: ["DELIVERED", iso(10 + 24 * HOUR), null], elsewhere: ["QUEUED", iso(24 * HOUR), null] });

    // A Postfix retries for 5 days: nothing expires after 24 hours.
    await patch(postfix.id, { queueLifetimeMinutes: 5 * 24 * HOUR });
    expect(await queue()).toMatchObject({ a: ["QUEUED", iso(5 * 24 * HOUR), null], b: ["QUEUED", iso(5 * 24 * HOUR + 60), null], done: ["DELIVERED", iso(10 + 24 * HOUR), null] });
    await sweepQueues(t.db, at(26 * HOUR));
    expect(await queue()).toMatchObject({ a: ["QUEUED", iso(5 * 24 * HOUR), null], b: ["QUEUED", iso(5 * 24 * HOUR + 60), null], elsewhere: ["EXPIRED", iso(24 * HOUR), iso(24 * HOUR)] });

    // Shorter again: the next sweep expires what is now past its lifetime, at its new expiry.
    await patch(postfix.id, { queueLifetimeMinutes: 30 * HOUR });
    expect(await queue()).toMatchObject({ a: ["QUEUED", iso(30 * HOUR), null], b: ["QUEUED", iso(31 * HOUR), null] });
    expect(await sweepQueues(t.db, at(30 * HOUR + 10))).toBe(1);
    expect(await queue()).toMatchObject({ a: ["EXPIRED", iso(30 * HOUR), iso(30 * HOUR)], b: ["QUEUED", iso(31 * HOUR), null] });
    await sweepQueues(t.db, at(32 * HOUR));
    expect(await queue()).toMatchObject({ b: ["EXPIRED", iso(31 * HOUR), iso(31 * HOUR)] });
    const alert = await t.db.alert.findFirstOrThrow({ where: { connectorId: postfix.id } });
    expect([alert.expiredCount, alert.queuedCount, alert.longestWaitSeconds]).toEqual([2, 0, 30 * 3600]);
    // A change of other fields leaves the queue alone.
    const settled = await queue();
    await patch(postfix.id, { comment: "Postfix at the office" });
    expect(await queue()).toEqual(settled);
  });

  it("shortened below the fold's clock, expires those messages at their new expiry on the next sweep", async () => {
    const { body: postfix } = await create({ ...onPremises, queueLifetimeMinutes: 5 * 24 * HOUR });
    await ingestEvents(t.db, [buildEvent({ connector: postfix.id, messageId: "a", occurredAt: at(0).toISOString() })], { now: at(1) });
    await sweepQueues(t.db, at(48 * HOUR));
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: postfix.id } })).foldedThrough).toEqual(at(48 * HOUR - 5));
    await patch(postfix.id, { queueLifetimeMinutes: 24 * HOUR });
    expect(await sweepQueues(t.db, at(48 * HOUR + 1))).toBe(1);
    const iso = at(24 * HOUR).toISOString();
    expect(await queue()).toEqual({ a: ["EXPIRED", iso, iso] });
  });

  it("is one order with ingest: a deferral and a change arriving together end with the new lifetime whichever commits first", async () => {
    const { body: postfix } = await create();
    const admin = testActor("ada", "ADMIN");
    const now = new Date();
    for (let round = 1; round <= 8; round++) {
      const deferral = buildEvent({ connector: postfix.id, messageId: `m${round}`, occurredAt: new Date(now.getTime() - (60 - round) * 60_000).toISOString() });
      await Promise.all([ingestEvents(t.db, [deferral], { now }), updateConnector(t.db, admin, postfix.id, { queueLifetimeMinutes: (round + 1) * HOUR }, now)]);
      const messages = await t.db.queuedMessage.findMany({ where: { connectorId: postfix.id } });
      expect(messages).toHaveLength(round);
      for (const m of messages) expect(m.expiresAt.getTime() - m.firstAttemptAt.getTime(), `${m.messageId} in round ${round}`).toBe((round + 1) * HOUR * 60_000);
    }
  });

  it("cannot be changed on a retired connector (409)", async () => {
    const { body: created } = await create();
    await retire(created.id);
    const refused = await patch(created.id, { queueLifetimeMinutes: 7200 });
    expect(refused.status).toBe(409);
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: created.id } })).queueLifetimeMinutes).toBe(1440);
  });
});

describe("ingest and retired connectors", () => {
  it("refuses a retired connector's events, each with when it was retired, and accepts the rest of the batch", async () => {
    const { body: kept } = await create({ ...onPremises, name: "Kept" });
    const { body: old } = await create({ ...onPremises, name: "Old route" });
    const recent = new Date(Date.now() - 60_000).toISOString();
    await ingestEvents(t.db, [buildEvent({ connector: old.id, occurredAt: recent })]);
    const retired = await retire(old.id);
    const result = await ingestEvents(t.db, [
      buildEvent({ connector: "Old route", occurredAt: recent }),
      buildEvent({ connector: kept.id, occurredAt: recent }),
      buildEvent({ connector: old.id, occurredAt: recent }),
      buildEvent({ connector: "Nobody", occurredAt: recent }),
    ]);
    const message = `connector "Old route" was retired on ${retired.body.retiredAt!.slice(0, 10)} and takes no new events; its history stays readable`;
    expect(result).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, field: "connector", message },
        { index: 2, field: "connector", message },
        { index: 3, field: "connector", message: 'no connector has the id or name "Nobody": add it on the Connectors page or import your connectors with npm run org:import' },
      ],
    });
    expect(await t.db.deliveryEvent.groupBy({ by: ["connectorId"], _count: true, orderBy: { connectorId: "asc" } })).toEqual([
      { connectorId: kept.id, _count: 1 },
      { connectorId: old.id, _count: 1 },
    ]);
  });
});

describe("the connector's timeline", () => {
  const timeline = async (id: number) => {
    const res = await historyRoute.GET(send("VIEWER", "GET", `/api/connectors/${id}/history`), params(id));
    return ((await res.json()) as ConnectorHistory).changes.map((c) => `${c.action} ${JSON.stringify(c.after)}`);
  };

  it("shows every change of the connector, newest last, and says it is retired", async () => {
    const { body: created } = await create();
    await patch(created.id, { comment: "Moved" });
    await patch(created.id, { enabled: false });
    await retire(created.id);
    expect((await timeline(created.id)).map((line) => line.split(" ")[0])).toEqual(["connector.create", "connector.update", "connector.disable", "connector.retire"]);
    const res = await historyRoute.GET(send("VIEWER", "GET", `/api/connectors/${created.id}/history`), params(created.id));
    expect(((await res.json()) as ConnectorHistory).connector.retiredAt).toEqual(expect.any(String));
  });
});
