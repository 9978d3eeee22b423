import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { AppError } from "@/lib/http/errors";
import { getFixNowView } from "@/lib/remediation/queries";
import { remediationAfterSchema, remediationBeforeSchema } from "@/lib/remediation/schemas";
import { applyFixNow, undoFixNow, undoFixNowInTx } from "@/lib/remediation/service";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { testActor } from "@/tests/helpers/actors";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase(12);
  db = testDb.db;
});

afterAll(async () => {
  await testDb.drop();
});

beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "AuditEntry", "Remediation", "QueuedMessage", "Alert", "AcceptedDomain", "Connector" RESTART IDENTITY CASCADE`);
});

const admin = testActor("ada");
const T0 = new Date("2026-11-27T09:00:00.000Z");
const NOW = new Date("2026-11-27T11:00:00.000Z");

/** A decommissioned on-premises server: two Internal relay domains, three queued messages. */
async function scenario() {
  const onPrem = await createConnector(db, { name: "To contoso on-premises", kind: "ON_PREMISES" });
  const partner = await createConnector(db, { name: "To fabrikam partner", kind: "PARTNER" });
  const relayB = await createDomain(db, { name: "b.contoso.example", type: "INTERNAL_RELAY", connectorId: onPrem.id });
  const relayA = await createDomain(db, { name: "a.contoso.example", type: "INTERNAL_RELAY", connectorId: onPrem.id });
  const authoritative = await createDomain(db, { name: "contoso.example", type: "AUTHORITATIVE", connectorId: onPrem.id });
  const elsewhere = await createDomain(db, { name: "fabrikam.example", type: "INTERNAL_RELAY", connectorId: partner.id });
  const alert = await createAlert(onPrem.id, "4.4.316", { queuedCount: 3 });
  const olderAlert = await createAlert(onPrem.id, "4.4.315", { queuedCount: 1 });
  const partnerAlert = await createAlert(partner.id, "4.4.316", { queuedCount: 1 });
  await createMessage(onPrem.id, alert.id, "QUEUED", "1");
  await createMessage(onPrem.id, alert.id, "QUEUED", "2");
  await createMessage(onPrem.id, alert.id, "QUEUED", "3");
  await createMessage(onPrem.id, olderAlert.id, "QUEUED", "4");
  await createMessage(onPrem.id, alert.id, "DELIVERED", "5");
  await createMessage(onPrem.id, alert.id, "EXPIRED", "6");
  await createMessage(partner.id, partnerAlert.id, "QUEUED", "7");
  return { onPrem, partner, relayA, relayB, authoritative, elsewhere, alert, olderAlert, partnerAlert };
}

function createAlert(connectorId: number, errorCode: string, extra: { queuedCount?: number; status?: "ACTIVE" | "RESOLVED" | "DISMISSED" | "SNOOZED" } = {}) {
  return db.alert.create({
    data: { connectorId, errorCode, firstSeenAt: T0, lastSeenAt: T0, eventCount: 5, messageCount: 5, oldestQueuedAt: T0, ...extra },
  });
}

function createMessage(connectorId: number, alertId: number, state: "QUEUED" | "DELIVERED" | "EXPIRED", n: string) {
  return db.queuedMessage.create({
    data: {
      connectorId,
      alertId,
      messageId: `<m${n}@contoso.example>`,
      recipient: `user${n}@a.contoso.example`,
      state,
      errorCode: "4.4.316",
      firstAttemptAt: T0,
      lastAttemptAt: T0,
      expiresAt: new Date(T0.getTime() + 86_400_000),
    },
  });
}

/** Everything Fix now may touch, to prove a refused call changed nothing. */
async function everything() {
  const [connectors, domains, messages, alerts, remediations, audit] = await Promise.all([
    db.connector.findMany({ orderBy: { id: "asc" } }),
    db.acceptedDomain.findMany({ orderBy: { id: "asc" } }),
    db.queuedMessage.findMany({ orderBy: { id: "asc" } }),
    db.alert.findMany({ orderBy: { id: "asc" } }),
    db.remediation.findMany({ orderBy: { id: "asc" } }),
    db.auditEntry.count(),
  ]);
  return { connectors, domains, messages, alerts, remediations, audit };
}

async function expectAppError(promise: Promise<unknown>, status: number, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(status);
  expect((error as AppError).message).toMatch(message);
}

describe("Fix now plan", () => {
  it("lists the connector to disable, its Internal relay domains and every queued message of the connector", async () => {
    const s = await scenario();
    const view = await getFixNowView(db, s.alert.id);
    expect(view).toMatchObject({ offered: true, eligible: true, blockedBy: null, remediation: null });
    expect(view.plan).toEqual({
      connector: { id: s.onPrem.id, name: "To contoso on-premises", enabled: true },
      domains: [
        { id: s.relayA.id, name: "a.contoso.example" },
        { id: s.relayB.id, name: "b.contoso.example" },
      ],
      queuedMessages: 4,
      powershell: [
        "Set-OutboundConnector -Identity 'To contoso on-premises' -Enabled $false",
        "Set-AcceptedDomain -Identity 'a.contoso.example' -DomainType Authoritative",
        "Set-AcceptedDomain -Identity 'b.contoso.example' -DomainType Authoritative",
      ],
    });
  });

  it("offers nothing for a partner connector or another code", async () => {
    const s = await scenario();
    expect(await getFixNowView(db, s.partnerAlert.id)).toMatchObject({ offered: false, eligible: false, blockedBy: "partner_connector", plan: null });
    expect(await getFixNowView(db, s.olderAlert.id)).toMatchObject({ offered: false, eligible: false, blockedBy: "wrong_code", plan: null });
  });
});

describe("applyFixNow", () => {
  it("disables the connector, makes its relay domains Authoritative and bounces its queued messages in one go", async () => {
    const s = await scenario();
    const view = await applyFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });

    expect(view).toMatchObject({ eligible: false, blockedBy: "already_remediated", remediation: { appliedBy: "ada", appliedAt: NOW.toISOString(), undoneAt: null, rejectedMessages: 4 } });
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.onPrem.id } })).enabled).toBe(false);
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.partner.id } })).enabled).toBe(true);
    const types = Object.fromEntries((await db.acceptedDomain.findMany()).map((d) => [d.name, d.type]));
    expect(types).toEqual({
      "a.contoso.example": "AUTHORITATIVE",
      "b.contoso.example": "AUTHORITATIVE",
      "contoso.example": "AUTHORITATIVE",
      "fabrikam.example": "INTERNAL_RELAY",
    });

    const messages = await db.queuedMessage.findMany({ orderBy: { id: "asc" } });
    expect(messages.map((m) => m.state)).toEqual(["REJECTED", "REJECTED", "REJECTED", "REJECTED", "DELIVERED", "EXPIRED", "QUEUED"]);
    for (const m of messages.slice(0, 4)) {
      expect(m.settledAt).toEqual(NOW);
      expect(m.ndrAt).toEqual(NOW);
    }

    const alert = await db.alert.findUniqueOrThrow({ where: { id: s.alert.id } });
    expect(alert).toMatchObject({ status: "RESOLVED", resolvedAt: NOW, resolvedReason: "remediated", remediatedBy: "ada", remediatedAt: NOW, queuedCount: 0, oldestQueuedAt: null });
    expect(await db.alert.findUniqueOrThrow({ where: { id: s.olderAlert.id } })).toMatchObject({ status: "ACTIVE", queuedCount: 0 });
    expect(await db.alert.findUniqueOrThrow({ where: { id: s.partnerAlert.id } })).toMatchObject({ queuedCount: 1 });

    const [remediation] = await db.remediation.findMany();
    expect(remediation).toMatchObject({ alertId: s.alert.id, appliedBy: "ada", liveKey: s.alert.id, undoneAt: null });
    expect(remediationBeforeSchema.parse(remediation?.before)).toEqual({
      connector: { id: s.onPrem.id, name: "To contoso on-premises", enabled: true },
      domains: [
        { id: s.relayA.id, name: "a.contoso.example", type: "INTERNAL_RELAY" },
        { id: s.relayB.id, name: "b.contoso.example", type: "INTERNAL_RELAY" },
      ],
      alert: { status: "ACTIVE", resolvedAt: null, resolvedReason: null, queuedCount: 3, oldestQueuedAt: T0.toISOString() },
    });
    const after = remediationAfterSchema.parse(remediation?.after);
    expect(after.connector.enabled).toBe(false);
    expect(after.domains.map((d) => d.type)).toEqual(["AUTHORITATIVE", "AUTHORITATIVE"]);
    expect(after.rejectedMessageIds).toEqual(messages.slice(0, 4).map((m) => m.id.toString()));

    const audit = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.targetType, a.targetId, a.actor])).toEqual([
      ["connector.disable", "connector", String(s.onPrem.id), "ada"],
      ["domain.type", "domain", String(s.relayA.id), "ada"],
      ["domain.type", "domain", String(s.relayB.id), "ada"],
      ["remediation.apply", "alert", String(s.alert.id), "ada"],
    ]);
    expect(audit[0]).toMatchObject({ before: { enabled: true }, after: { enabled: false }, at: NOW });
    expect(audit[1]).toMatchObject({ before: { type: "INTERNAL_RELAY" }, after: { type: "AUTHORITATIVE" } });
    expect(audit[3]).toMatchObject({
      before: { status: "ACTIVE", queuedCount: 3 },
      after: { status: "RESOLVED", queuedCount: 0, remediatedBy: "ada", rejectedMessages: 4, powershell: view.remediation!.powershell },
      note: expect.stringContaining("Pending in Exchange Online"),
    });
    // The product records the change; the tenant still has to be changed with these commands.
    expect(view.remediation).toMatchObject({
      tenantState: "PENDING",
      tenantCheckedAt: null,
      powershell: [
        "Set-OutboundConnector -Identity 'To contoso on-premises' -Enabled $false",
        "Set-AcceptedDomain -Identity 'a.contoso.example' -DomainType Authoritative",
        "Set-AcceptedDomain -Identity 'b.contoso.example' -DomainType Authoritative",
      ],
      undoPowershell: [
        "Set-OutboundConnector -Identity 'To contoso on-premises' -Enabled $true",
        "Set-AcceptedDomain -Identity 'a.contoso.example' -DomainType InternalRelay",
        "Set-AcceptedDomain -Identity 'b.contoso.example' -DomainType InternalRelay",
      ],
    });
  });

  it("applies exactly once when eight admins confirm at the same moment", async () => {
    const s = await scenario();
    const actors = ["ada", "bo", "cy", "di", "ed", "fa", "gu", "hu"].map((name) => testActor(name));
    const results = await Promise.allSettled(actors.map((actor) => applyFixNow(db, { alertId: s.alert.id, actor })));

    const applied = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(7);
    const winner = (await db.alert.findUniqueOrThrow({ where: { id: s.alert.id } })).remediatedBy;
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).status).toBe(409);
      expect((r.reason as AppError).message).toMatch(new RegExp(`already applied to this alert by ${winner} at \\d{4}-`));
    }
    expect(await db.remediation.count()).toBe(1);
    expect(await db.auditEntry.count({ where: { action: "remediation.apply" } })).toBe(1);
    expect(await db.auditEntry.count()).toBe(4);
    expect(await db.queuedMessage.count({ where: { state: "REJECTED" } })).toBe(4);
  });

  it("is refused, changing nothing, for a partner connector, another code, a closed alert or an unknown alert", async () => {
    const s = await scenario();
    const resolved = await createAlert(s.onPrem.id, "4.4.316", { status: "RESOLVED" });
    const dismissed = await createAlert(s.onPrem.id, "4.4.316", { status: "DISMISSED" });
    const before = await everything();
    await expectAppError(applyFixNow(db, { alertId: s.partnerAlert.id, actor: admin }), 400, /not offered for partner connectors.*To fabrikam partner/);
    await expectAppError(applyFixNow(db, { alertId: s.olderAlert.id, actor: admin }), 400, /only to 4\.4\.316.*this alert is 4\.4\.315/);
    await expectAppError(applyFixNow(db, { alertId: resolved.id, actor: admin }), 409, /resolved/);
    await expectAppError(applyFixNow(db, { alertId: dismissed.id, actor: admin }), 409, /dismissed/);
    await expectAppError(applyFixNow(db, { alertId: 999_999, actor: admin }), 404, /not found/);
    expect(await everything()).toEqual(before);
  });

  it("is refused when the domains changed since the dialog was shown", async () => {
    const s = await scenario();
    const before = await everything();
    await expectAppError(applyFixNow(db, { alertId: s.alert.id, actor: admin, expectedDomainIds: [s.relayA.id] }), 409, /no longer the ones you were shown/);
    expect(await everything()).toEqual(before);
    await applyFixNow(db, { alertId: s.alert.id, actor: admin, expectedDomainIds: [s.relayB.id, s.relayA.id] });
    expect(await db.remediation.count()).toBe(1);
  });

  it("is refused by the database when a live remediation exists, even if the alert does not show it", async () => {
    const s = await scenario();
    await db.remediation.create({ data: { alertId: s.alert.id, kind: "fix-now", appliedBy: "eve", before: {}, after: {}, liveKey: s.alert.id } });
    const before = await everything();
    await expectAppError(applyFixNow(db, { alertId: s.alert.id, actor: admin }), 409, /already applied to this alert by eve/);
    expect(await everything()).toEqual(before);
  });
});

describe("undoFixNow", () => {
  it("restores the connector and domain types, keeps the bounces, reopens the alert and audits it", async () => {
    const s = await scenario();
    await applyFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });
    const later = new Date(NOW.getTime() + 60_000);
    const view = await undoFixNow(db, { alertId: s.alert.id, actor: testActor("bo"), now: later });

    expect(view).toMatchObject({ eligible: true, remediation: { appliedBy: "ada", undoneBy: "bo", undoneAt: later.toISOString() } });
    expect(view.plan?.queuedMessages).toBe(0);
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.onPrem.id } })).enabled).toBe(true);
    const types = Object.fromEntries((await db.acceptedDomain.findMany()).map((d) => [d.name, d.type]));
    expect(types).toEqual({
      "a.contoso.example": "INTERNAL_RELAY",
      "b.contoso.example": "INTERNAL_RELAY",
      "contoso.example": "AUTHORITATIVE",
      "fabrikam.example": "INTERNAL_RELAY",
    });
    expect(await db.queuedMessage.count({ where: { state: "REJECTED" } })).toBe(4);
    expect(await db.alert.findUniqueOrThrow({ where: { id: s.alert.id } })).toMatchObject({
      status: "ACTIVE",
      resolvedAt: null,
      resolvedReason: null,
      remediatedBy: null,
      remediatedAt: null,
    });
    expect(await db.remediation.findFirstOrThrow()).toMatchObject({ undoneBy: "bo", undoneAt: later, liveKey: null });

    const audit = await db.auditEntry.findMany({ where: { actor: "bo" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.targetId])).toEqual([
      ["connector.enable", String(s.onPrem.id)],
      ["domain.type", String(s.relayA.id)],
      ["domain.type", String(s.relayB.id)],
      ["remediation.undo", String(s.alert.id)],
    ]);
    expect(audit[1]).toMatchObject({ before: { type: "AUTHORITATIVE" }, after: { type: "INTERNAL_RELAY" } });
    expect(audit[3]).toMatchObject({ after: { powershell: expect.arrayContaining(["Set-OutboundConnector -Identity 'To contoso on-premises' -Enabled $true"]) } });
  });

  it("undoes once: a second undo, or several at once, get 409", async () => {
    const s = await scenario();
    await applyFixNow(db, { alertId: s.alert.id, actor: admin });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => undoFixNow(db, { alertId: s.alert.id, actor: admin })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as AppError).status)).toEqual([409, 409, 409]);
    const before = await everything();
    await expectAppError(undoFixNow(db, { alertId: s.alert.id, actor: admin }), 409, /already undone by ada/);
    expect(await everything()).toEqual(before);
  });

  it("has nothing to undo before Fix now, and Fix now can be applied again after an undo", async () => {
    const s = await scenario();
    await expectAppError(undoFixNow(db, { alertId: s.alert.id, actor: admin }), 409, /nothing to undo/);
    await applyFixNow(db, { alertId: s.alert.id, actor: admin });
    await undoFixNow(db, { alertId: s.alert.id, actor: admin });
    await applyFixNow(db, { alertId: s.alert.id, actor: testActor("bo") });
    expect(await db.remediation.count()).toBe(2);
    expect(await db.remediation.count({ where: { liveKey: s.alert.id, appliedBy: "bo" } })).toBe(1);
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.onPrem.id } })).enabled).toBe(false);
  });

  it("restores a connector that was already disabled as disabled, and leaves a newer open alert's episode alone", async () => {
    const s = await scenario();
    await db.connector.update({ where: { id: s.onPrem.id }, data: { enabled: false } });
    await applyFixNow(db, { alertId: s.alert.id, actor: admin });
    expect(await db.auditEntry.count({ where: { action: "connector.disable" } })).toBe(0);
    const newer = await createAlert(s.onPrem.id, "4.4.316");
    await undoFixNow(db, { alertId: s.alert.id, actor: admin });
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.onPrem.id } })).enabled).toBe(false);
    expect(await db.alert.findUniqueOrThrow({ where: { id: s.alert.id } })).toMatchObject({ status: "RESOLVED", remediatedAt: null });
    expect(await db.alert.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ status: "ACTIVE" });
  });
});

describe("Fix now and later ingest", () => {
  it("keeps the bounces and the remediated alert when more events arrive, in order or late", async () => {
    const onPrem = await createConnector(db, { name: "To on-premises", kind: "ON_PREMISES" });
    await createDomain(db, { name: "corp.example", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
    const deferred = (n: number, minutes: number) => buildEvent({ connector: onPrem.id, messageId: `<q${n}@example>`, recipient: `u${n}@corp.example`, occurredAt: at(minutes) });
    const now = new Date(T0.getTime() + 60 * 60_000);
    await ingestEvents(db, [deferred(1, 0), deferred(2, 5), deferred(3, 10)], { now });
    const alert = await db.alert.findFirstOrThrow({ where: { connectorId: onPrem.id, errorCode: "4.4.316" } });
    expect(alert.queuedCount).toBe(3);

    await applyFixNow(db, { alertId: alert.id, actor: admin, now });
    // A late event (older than what was folded) makes ingest replay; a newer one continues.
    await ingestEvents(db, [deferred(1, 2), deferred(4, 50)], { now });

    const states = Object.fromEntries((await db.queuedMessage.findMany()).map((m) => [m.messageId, m.state]));
    expect(states).toMatchObject({ "<q1@example>": "REJECTED", "<q2@example>": "REJECTED", "<q3@example>": "REJECTED" });
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: "RESOLVED", remediatedBy: "ada", resolvedReason: "remediated" });
    expect(await db.remediation.count({ where: { liveKey: alert.id } })).toBe(1);
  });

  it("runs alongside an ingest of the same connector without deadlock or lost writes", async () => {
    const onPrem = await createConnector(db, { name: "To on-premises", kind: "ON_PREMISES" });
    const deferred = (n: number) => buildEvent({ connector: onPrem.id, messageId: `<c${n}@example>`, recipient: `u${n}@corp.example`, occurredAt: T0.toISOString() });
    const now = new Date(T0.getTime() + 60 * 60_000);
    await ingestEvents(db, [deferred(1), deferred(2)], { now });
    const alert = await db.alert.findFirstOrThrow({ where: { connectorId: onPrem.id } });

    const [, ingested] = await Promise.all([
      applyFixNow(db, { alertId: alert.id, actor: admin, now }),
      ingestEvents(db, [deferred(3), deferred(4)], { now }),
    ]);
    expect(ingested.accepted).toBe(2);
    expect(await db.remediation.count()).toBe(1);
    expect(await db.deliveryEvent.count({ where: { connectorId: onPrem.id } })).toBe(4);
    const states = (await db.queuedMessage.findMany({ where: { messageId: { in: ["<c1@example>", "<c2@example>"] } } })).map((m) => m.state);
    expect(states).toEqual(["REJECTED", "REJECTED"]);
  });
});

describe("the tenant's side", () => {
  it("an Undo is pending in Exchange Online again; an import's Undo (the tenant shows it already) is confirmed", async () => {
    const s = await scenario();
    await applyFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });
    await db.remediation.updateMany({ data: { tenantState: "CONFIRMED", tenantCheckedAt: NOW } });
    const undone = await undoFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });
    expect(undone.remediation).toMatchObject({ tenantState: "PENDING", tenantCheckedAt: null, undoneBy: "ada" });

    await applyFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });
    const later = new Date(NOW.getTime() + 60_000);
    await db.$transaction((tx) => undoFixNowInTx(tx, admin, s.alert.id, later, "Exchange import: the tenant's state taken"));
    const view = await getFixNowView(db, s.alert.id);
    expect(view.remediation).toMatchObject({ undoneBy: "ada", tenantState: "CONFIRMED", tenantCheckedAt: later.toISOString() });
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.onPrem.id } })).enabled).toBe(true);
    const undo = await db.auditEntry.findFirstOrThrow({ where: { action: "remediation.undo" }, orderBy: { id: "desc" } });
    expect(undo.note).toMatch(/^Exchange import: the tenant's state taken: the tenant already shows/);
    expect(undo.after).not.toHaveProperty("powershell");
  });

  it("Undo is refused once the connector is retired: it would enable history again", async () => {
    const s = await scenario();
    await applyFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });
    await db.connector.update({ where: { id: s.onPrem.id }, data: { retiredAt: NOW, retiredBy: "ada" } });
    await expectAppError(undoFixNow(db, { alertId: s.alert.id, actor: admin }), 409, /was retired on .* so Fix now on it cannot be undone/);
    expect((await db.connector.findUniqueOrThrow({ where: { id: s.onPrem.id } })).enabled).toBe(false);
    expect(await db.remediation.count({ where: { undoneAt: null } })).toBe(1);
  });

  it("the commands name the connector as it is called today, should it have been renamed since", async () => {
    const s = await scenario();
    await applyFixNow(db, { alertId: s.alert.id, actor: admin, now: NOW });
    await db.connector.update({ where: { id: s.onPrem.id }, data: { name: "Contoso on-prem (old)" } });
    const view = await getFixNowView(db, s.alert.id);
    expect(view.remediation?.undoPowershell[0]).toBe("Set-OutboundConnector -Identity 'Contoso on-prem (old)' -Enabled $true");
    expect(view.remediation?.powershell[0]).toBe("Set-OutboundConnector -Identity 'Contoso on-prem (old)' -Enabled $false");
  });
});
