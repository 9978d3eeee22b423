import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { poolOf } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { resetEnvCache } from "@/lib/env";
import { ingestEvents } from "@/lib/events/ingest";
import { findQuietPoint } from "@/lib/events/store";
import { CERT_EXPIRY_CODE, PROBE_SOURCE } from "@/lib/grouping/event";
import { AppError } from "@/lib/http/errors";
import { DEMO_REFUSAL, listValidations, validateConnector, type ValidationRequest } from "@/lib/probe/service";
import { testActor } from "@/tests/helpers/actors";
import { createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { startLab, type Fault, type Lab } from "@/tests/lab/lab";

// "Validate connector" end to end on real Postgres against the fault lab on loopback: the run is
// kept, its outcome raises, continues and resolves alerts through the one fold, its certificate
// keeps the warning beside the fold (lib/probe/cert-warning.ts), nothing is ever queued for a
// probe, and a run and its events commit together or not at all.

const SHORT = { dnsMs: 400, connectMs: 1_000, greetingMs: 1_000, replyMs: 1_000, tlsMs: 1_000, overallMs: 5_000 } as const;
const ENV = ["PROBE_CA_FILE", "PROBE_DNS_SERVERS", "CERT_WARN_DAYS"] as const;
const operator = testActor("olga");

let t: TestDatabase;
let lab: Lab;
let caDir: string;
const savedEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  [t, lab] = await Promise.all([createTestDatabase(), startLab({ faults: ["healthy", "refused", "neverGreets", "certExpiringSoon"], expiringInDays: 10 })]);
  caDir = await mkdtemp(path.join(tmpdir(), "mailflow-validation-"));
  await writeFile(path.join(caDir, "lab-ca.pem"), lab.caPem);
  for (const name of ENV) savedEnv.set(name, process.env[name]);
  process.env.PROBE_CA_FILE = path.join(caDir, "lab-ca.pem");
  process.env.PROBE_DNS_SERVERS = lab.dns.server;
  process.env.CERT_WARN_DAYS = "21";
  resetEnvCache();
});

afterAll(async () => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
  await Promise.all([t?.drop(), lab?.stop(), caDir ? rm(caDir, { recursive: true, force: true }) : undefined]);
});

function validate(connectorId: number, over: Partial<ValidationRequest> = {}) {
  return validateConnector(t.db, connectorId, { trigger: "manual", actor: operator, probe: { timeouts: SHORT }, ...over });
}

/** A connector whose one smart host is the lab server of `fault`, validating certificates against the lab CA. */
function labConnector(fault: Fault) {
  return createConnector(t.db, { smartHosts: [lab.address(fault)], tlsMode: "CERTIFICATE_VALIDATION" });
}

function pointAt(connectorId: number, fault: Fault) {
  return t.db.connector.update({ where: { id: connectorId }, data: { smartHosts: [lab.address(fault)] } });
}

const alertsOf = (connectorId: number) => t.db.alert.findMany({ where: { connectorId }, orderBy: { id: "asc" } });
const probeEventsOf = (connectorId: number) => t.db.deliveryEvent.findMany({ where: { connectorId, source: PROBE_SOURCE }, orderBy: { id: "asc" } });
const probeMessages = () => t.db.queuedMessage.count({ where: { messageId: { startsWith: "probe:" } } });

describe("validateConnector", () => {
  it("passes a healthy connector, keeps the run and writes its outcome as a DELIVERED probe event, queuing nothing", async () => {
    const connector = await labConnector("healthy");
    const record = await validate(connector.id, { recipient: "someone@lab.test" });
    expect(record).toMatchObject({ connectorId: connector.id, trigger: "manual", actor: "olga@example.test", recipient: "someone@lab.test", outcome: "passed", errorCode: null, summary: null });
    expect(record.targets[0]?.steps.map((s) => s.name)).toContain("rcpt");
    // The healthy leaf is valid for 30 days: beyond CERT_WARN_DAYS.
    expect(Date.parse(record.certExpiresAt!)).toBeGreaterThan(Date.now() + 21 * 86_400_000);

    const stored = await t.db.connectorValidation.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored).toMatchObject({ connectorId: connector.id, outcome: "passed", actor: "olga@example.test", trigger: "manual" });
    expect((await listValidations(t.db, connector.id, { limit: 10 })).items).toEqual([record]);

    const events = await probeEventsOf(connector.id);
    // Only the outcome: the certificate (not expiring soon) is no event.
    expect(events.map((e) => [e.status, e.errorCode, e.clientId])).toEqual([["DELIVERED", null, null]]);
    expect(await alertsOf(connector.id)).toEqual([]);
    expect(await t.db.queuedMessage.count({ where: { connectorId: connector.id } })).toBe(0);
    expect(await t.db.eventHourlyCount.count({ where: { connectorId: connector.id } })).toBe(0);
  });

  it("raises 4.4.316 on a refused connector, continues it on the next failure and resolves it on a pass (reason probe)", async () => {
    const connector = await labConnector("refused");
    const first = await validate(connector.id, { trigger: "scheduled", actor: null });
    expect(first).toMatchObject({ outcome: "failed", errorCode: "4.4.316", actor: "schedule", certExpiresAt: null });
    const [opened] = await alertsOf(connector.id);
    expect(opened).toMatchObject({
      errorCode: "4.4.316", status: "ACTIVE", eventCount: 1, messageCount: 0, queuedCount: 0, expiredCount: 0, resolvedAt: null,
      latestDestination: lab.address("refused"),
    });
    expect(opened?.latestDetails).toMatch(/^Validate connector, connect step: /);

    await validate(connector.id, { trigger: "scheduled", actor: null });
    const continued = await alertsOf(connector.id);
    expect(continued).toHaveLength(1);
    expect(continued[0]).toMatchObject({ id: opened!.id, eventCount: 2, messageCount: 0, queuedCount: 0, resolvedAt: null });

    await pointAt(connector.id, "healthy");
    const passed = await validate(connector.id);
    expect(passed.outcome).toBe("passed");
    const [resolved] = await alertsOf(connector.id);
    expect(resolved).toMatchObject({ id: opened!.id, status: "RESOLVED", resolvedReason: "probe", resolvedAt: new Date(passed.startedAt) });
    expect(await t.db.queuedMessage.count({ where: { connectorId: connector.id } })).toBe(0);
    expect(await t.db.connectorValidation.count({ where: { connectorId: connector.id } })).toBe(3);
  });

  it("a pass does not resolve an alert that still has queued messages; their delivery does", async () => {
    const connector = await labConnector("refused");
    await validate(connector.id);
    const deferred = { connector: connector.id, messageId: "<real-1@contoso.example>", recipient: "bo@contoso.example", errorCode: "450 4.4.316" };
    const queued = await ingestEvents(t.db, [{ ...deferred, occurredAt: new Date().toISOString(), status: "deferred" }]);
    expect(queued.accepted).toBe(1);
    const [alert] = await alertsOf(connector.id);
    expect(alert).toMatchObject({ eventCount: 2, messageCount: 1, queuedCount: 1 });

    await pointAt(connector.id, "healthy");
    const passed = await validate(connector.id);
    const [recovered] = await alertsOf(connector.id);
    expect(recovered).toMatchObject({ id: alert!.id, status: "ACTIVE", recoveredAt: new Date(passed.startedAt), resolvedAt: null, queuedCount: 1 });

    await ingestEvents(t.db, [{ ...deferred, occurredAt: new Date().toISOString(), status: "delivered" }]);
    const [resolved] = await alertsOf(connector.id);
    expect(resolved).toMatchObject({ id: alert!.id, status: "RESOLVED", resolvedReason: "delivered", queuedCount: 0 });
    expect(await t.db.queuedMessage.count({ where: { connectorId: connector.id } })).toBe(1);
    expect(await probeMessages()).toBe(0);
  });

  it("two validations at once continue one alert", async () => {
    const connector = await labConnector("refused");
    await Promise.all([validate(connector.id), validate(connector.id)]);
    const alerts = await alertsOf(connector.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ eventCount: 2, messageCount: 0 });
  });
});

describe("the certificate warning, beside the fold", () => {
  const expiresAt = () => new Date(Math.floor(lab.certificates.expiringSoonAt.getTime() / 1000) * 1000);
  const warningsOf = (connectorId: number) => t.db.alert.findMany({ where: { connectorId, errorCode: CERT_EXPIRY_CODE }, orderBy: { id: "asc" } });

  it("warns of a certificate expiring within CERT_WARN_DAYS, naming host, certificate and date; traffic leaves it open; only a renewed one ends it", async () => {
    const connector = await labConnector("certExpiringSoon");
    const record = await validate(connector.id);
    expect(record.outcome).toBe("passed");
    expect(record.certExpiresAt).toBe(expiresAt().toISOString());
    // The run's only event is its outcome: the warning is no fold event.
    expect((await probeEventsOf(connector.id)).map((e) => [e.status, e.errorCode])).toEqual([["DELIVERED", null]]);

    const [warning] = await alertsOf(connector.id);
    expect(warning).toMatchObject({
      errorCode: CERT_EXPIRY_CODE, status: "ACTIVE", severity: "LOW", eventCount: 1, messageCount: 0, queuedCount: 0,
      firstSeenAt: new Date(record.startedAt), lastSeenAt: new Date(record.startedAt), latestEventAt: new Date(record.startedAt),
      recoveredAt: null, resolvedAt: null, regressionOfId: null, latestDestination: "127.0.0.1",
    });
    expect(warning?.latestDetails).toContain("127.0.0.1: certificate ");
    expect(warning?.latestDetails).toContain("CN=expiring-soon.lab.test");
    expect(warning?.latestDetails).toContain(`expires ${expiresAt().toISOString()}`);

    // Mail flowing, and failing then flowing again, is no news about the certificate.
    const mail = { connector: connector.id, recipient: "bo@contoso.example" };
    await ingestEvents(t.db, [{ ...mail, messageId: "<ok@contoso.example>", occurredAt: new Date().toISOString(), status: "delivered" }]);
    await ingestEvents(t.db, [{ ...mail, messageId: "<late@contoso.example>", occurredAt: new Date().toISOString(), status: "deferred", errorCode: "450 4.4.316" }]);
    await ingestEvents(t.db, [{ ...mail, messageId: "<late@contoso.example>", occurredAt: new Date().toISOString(), status: "delivered" }]);
    const afterTraffic = await alertsOf(connector.id);
    expect(afterTraffic.map((a) => [a.errorCode, a.resolvedReason])).toEqual([[CERT_EXPIRY_CODE, null], ["4.4.316", "delivered"]]);
    expect(afterTraffic[0]).toEqual(warning);

    await pointAt(connector.id, "healthy");
    const renewed = await validate(connector.id);
    expect(await warningsOf(connector.id)).toEqual([
      expect.objectContaining({
        id: warning!.id, status: "RESOLVED", resolvedReason: "renewed", recoveredAt: new Date(renewed.startedAt), resolvedAt: new Date(renewed.startedAt),
      }),
    ]);
    expect(await probeMessages()).toBe(0);
  });

  it("a second expiring validation continues the same warning (eventCount 2, last seen at the second run); its pass recovers nothing of it", async () => {
    const connector = await labConnector("certExpiringSoon");
    const first = await validate(connector.id);
    const second = await validate(connector.id);
    expect(await alertsOf(connector.id)).toEqual([
      expect.objectContaining({
        errorCode: CERT_EXPIRY_CODE, eventCount: 2, status: "ACTIVE", firstSeenAt: new Date(first.startedAt), lastSeenAt: new Date(second.startedAt),
        latestEventAt: new Date(second.startedAt), recoveredAt: null, resolvedAt: null, resolvedReason: null,
      }),
    ]);
  });

  it("is MEDIUM within 7 days of the date, and a later LOW observation does not lower it", async () => {
    const connector = await labConnector("certExpiringSoon");
    // The lab's certificate expires in 10 days: LOW now, MEDIUM seen 4 days on (6 days before it).
    await validate(connector.id);
    expect((await warningsOf(connector.id))[0]).toMatchObject({ severity: "LOW", eventCount: 1 });

    const fourDaysOn = new Date(Date.now() + 4 * 86_400_000);
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true, now: fourDaysOn });
    try {
      const late = await validate(connector.id);
      expect(late.certExpiresAt).toBe(expiresAt().toISOString());
    } finally {
      vi.useRealTimers();
    }
    const [raised] = await warningsOf(connector.id);
    expect(raised).toMatchObject({ severity: "MEDIUM", eventCount: 2, resolvedAt: null });
    // 10 days less 4 and the moments since the lab made the certificate: 5 whole days.
    expect(raised?.latestDetails).toMatch(/, in 5 days$/);

    await validate(connector.id);
    expect(await warningsOf(connector.id)).toEqual([expect.objectContaining({ id: raised!.id, severity: "MEDIUM", eventCount: 3 })]);
  });

  it("a warning after a resolved one is a new alert linked to it as a regression", async () => {
    const connector = await labConnector("certExpiringSoon");
    await validate(connector.id);
    await pointAt(connector.id, "healthy");
    await validate(connector.id);
    await pointAt(connector.id, "certExpiringSoon");
    await validate(connector.id);
    const warnings = await warningsOf(connector.id);
    expect(warnings.map((w) => [w.status, w.resolvedReason, w.eventCount])).toEqual([["RESOLVED", "renewed", 1], ["ACTIVE", null, 1]]);
    expect(warnings[1]?.regressionOfId).toBe(warnings[0]!.id);
  });

  it("a renewed certificate resolves a snoozed warning and forgets the snooze; a dismissed one stays DISMISSED", async () => {
    const snoozed = await labConnector("certExpiringSoon");
    const dismissed = await labConnector("certExpiringSoon");
    await Promise.all([validate(snoozed.id), validate(dismissed.id)]);
    await t.db.alert.updateMany({ where: { connectorId: snoozed.id }, data: { status: "SNOOZED", snoozedUntil: new Date(Date.now() + 86_400_000), snoozedQueued: 0 } });
    await t.db.alert.updateMany({ where: { connectorId: dismissed.id }, data: { status: "DISMISSED", dismissedBy: "olga@example.test" } });
    await Promise.all([pointAt(snoozed.id, "healthy"), pointAt(dismissed.id, "healthy")]);
    await Promise.all([validate(snoozed.id), validate(dismissed.id)]);
    expect((await warningsOf(snoozed.id))[0]).toMatchObject({ status: "RESOLVED", resolvedReason: "renewed", snoozedUntil: null, snoozedQueued: null });
    expect((await warningsOf(dismissed.id))[0]).toMatchObject({ status: "DISMISSED", resolvedReason: "renewed", resolvedAt: expect.any(Date) });
  });

  it("a validation that sees no certificate leaves the warning as it is", async () => {
    const connector = await labConnector("certExpiringSoon");
    await validate(connector.id);
    const [warning] = await warningsOf(connector.id);
    await pointAt(connector.id, "refused");
    const refused = await validate(connector.id);
    expect(refused).toMatchObject({ outcome: "failed", certExpiresAt: null });
    expect(await warningsOf(connector.id)).toEqual([warning]);
  });

  it("an open warning never holds a late traffic event's replay back: it replays from the traffic's last quiet point, and the warning row survives", async () => {
    const connector = await labConnector("certExpiringSoon");
    const probed = await validate(connector.id);
    const v = Date.parse(probed.startedAt);
    const [warning] = await warningsOf(connector.id);
    const minute = (m: number) => new Date(v + m * 60_000).toISOString();
    const mail = (messageId: string, m: number, status: "deferred" | "delivered", errorCode?: string) =>
      ({ connector: connector.id, messageId, recipient: "bo@contoso.example", occurredAt: minute(m), status, ...(errorCode ? { errorCode } : {}) });
    // Accept events up to an hour ahead of the wall clock: the episode follows the validation.
    const later = { now: new Date(v + 60 * 60_000) };

    // An episode of traffic after the warning opened (4.4.316 from minute 10, delivered at 20), then quiet until 60.
    await ingestEvents(t.db, [mail("<a@contoso.example>", 10, "deferred", "450 4.4.316")], later);
    await ingestEvents(t.db, [mail("<a@contoso.example>", 20, "delivered")], later);
    await ingestEvents(t.db, [mail("<b@contoso.example>", 60, "delivered")], later);
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: connector.id } })).foldedThrough).toEqual(new Date(minute(60)));
    const [episode] = (await alertsOf(connector.id)).filter((a) => a.errorCode === "4.4.316");
    expect(episode).toMatchObject({ resolvedAt: new Date(minute(20)), resolvedReason: "delivered" });

    // At minute 40 the traffic was quiet; only the warning (open since minute 0) was open. The
    // quiet point is minute 40 itself, not the warning's start, and within the episode it is its start.
    const quietPoint = (m: number) => withSqlTransaction(poolOf(t.db), (tx) => findQuietPoint(tx, connector.id, new Date(minute(m))));
    expect(warning!.firstSeenAt.getTime()).toBeLessThan(Date.parse(minute(40)));
    expect(await quietPoint(40)).toEqual(new Date(minute(40)));
    expect(await quietPoint(15)).toEqual(new Date(minute(10)));

    // Late events (older than the connector's clock) replay: one in the quiet stretch, one within
    // the episode, one before the warning began (its replay reaches past the warning's start).
    await ingestEvents(t.db, [mail("<c@contoso.example>", 40, "deferred", "450 4.4.318")], later);
    await ingestEvents(t.db, [mail("<d@contoso.example>", 15, "deferred", "450 4.4.316")], later);
    await ingestEvents(t.db, [mail("<e@contoso.example>", -5, "delivered")], later);

    const alerts = await alertsOf(connector.id);
    expect(alerts.map((a) => [a.errorCode, a.resolvedReason])).toEqual([[CERT_EXPIRY_CODE, null], ["4.4.316", null], ["4.4.318", null]]);
    // The warning is the same row, untouched by every replay and by the deliveries.
    expect(alerts[0]).toEqual(warning);
    // The episode kept its row and took d's failure; d is still queued, so it is open again.
    expect(alerts[1]).toMatchObject({ id: episode!.id, eventCount: 2, messageCount: 2, queuedCount: 1, resolvedAt: null });
    expect(await t.db.alert.count({ where: { connectorId: connector.id, errorCode: CERT_EXPIRY_CODE } })).toBe(1);
  });

  it("certificate events an earlier version stored as probe events are not replayed into the fold", async () => {
    // Before the warning left the fold, a validation stored its certificate as a probe event of
    // CERT_EXPIRY_CODE: DEFERRED when expiring, DELIVERED when not. Such rows stay in the history.
    const connector = await createConnector(t.db);
    const t0 = Date.now() - 60 * 60_000;
    const minute = (m: number) => new Date(t0 + m * 60_000);
    const mail = (messageId: string, m: number) =>
      ({ connector: connector.id, messageId, recipient: "bo@contoso.example", occurredAt: minute(m).toISOString(), status: "deferred" as const, errorCode: "450 4.4.316" });
    await ingestEvents(t.db, [mail("<a@contoso.example>", 0)]);
    const legacy = (m: number, status: "DEFERRED" | "DELIVERED") => ({
      source: PROBE_SOURCE, occurredAt: minute(m), connectorId: connector.id, messageId: `probe:legacy-${m}`, status, errorCode: CERT_EXPIRY_CODE,
      errorDetails: status === "DEFERRED" ? "127.0.0.1: certificate CN=old expires soon" : null, destination: "127.0.0.1",
    });
    await t.db.deliveryEvent.createMany({ data: [legacy(5, "DEFERRED"), legacy(10, "DELIVERED")] });
    const old = await t.db.alert.create({
      data: {
        connectorId: connector.id, errorCode: CERT_EXPIRY_CODE, status: "RESOLVED", severity: "LOW", firstSeenAt: minute(5), lastSeenAt: minute(5),
        eventCount: 1, recoveredAt: minute(10), resolvedAt: minute(10), resolvedReason: "renewed",
      },
    });
    await t.db.connector.update({ where: { id: connector.id }, data: { foldedThrough: minute(10) } });

    // A late event replays from minute 0, across the stored certificate events.
    await ingestEvents(t.db, [mail("<b@contoso.example>", 1)]);

    const alerts = await alertsOf(connector.id);
    expect(alerts.map((a) => a.errorCode)).toEqual(["4.4.316", CERT_EXPIRY_CODE]);
    // A certificate that was fine is no pass of the connector: nothing recovered.
    expect(alerts[0]).toMatchObject({ eventCount: 2, queuedCount: 2, recoveredAt: null, resolvedAt: null });
    expect(alerts[1]).toEqual(old);
  });
});

describe("refusals", () => {
  it("never probes a demo connector: DEMO_REFUSAL, nothing sent, nothing stored", async () => {
    const connector = await createConnector(t.db, { demo: true, smartHosts: ["demo-relay.lab.test"] });
    const error = await validate(connector.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409, message: DEMO_REFUSAL });
    expect(lab.dns.queriesFor("demo-relay.lab.test")).toBe(0);
    expect(await t.db.connectorValidation.count({ where: { connectorId: connector.id } })).toBe(0);
    expect(await t.db.deliveryEvent.count({ where: { connectorId: connector.id } })).toBe(0);
  });

  it("refuses a viewer with 403 before anything is sent", async () => {
    const connector = await createConnector(t.db, { smartHosts: ["viewer-relay.lab.test"] });
    await expect(validate(connector.id, { actor: testActor("vic", "VIEWER") })).rejects.toMatchObject({ status: 403 });
    expect(lab.dns.queriesFor("viewer-relay.lab.test")).toBe(0);
    expect(await t.db.connectorValidation.count({ where: { connectorId: connector.id } })).toBe(0);
  });
});

describe("the history", () => {
  it("pages newest first by start, even when an earlier run was stored later", async () => {
    const connector = await createConnector(t.db);
    const run = (minute: number) => ({
      connectorId: connector.id, trigger: "manual", actor: "olga@example.test", startedAt: new Date(Date.UTC(2026, 11, 1, 12, minute)),
      durationMs: 5, outcome: "passed", targets: [],
    });
    // A long run that began first finishes (and gets its id) after a quick one that began later.
    const quick = await t.db.connectorValidation.create({ data: run(10) });
    const slow = await t.db.connectorValidation.create({ data: run(9) });
    const latest = await t.db.connectorValidation.create({ data: run(20) });
    const seen: number[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await listValidations(t.db, connector.id, { limit: 1, before });
      seen.push(...page.items.map((item) => item.id));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual([latest.id, quick.id, slow.id]);
  });
});

describe("one transaction", () => {
  it("a run that cannot be stored leaves no events and no alert", async () => {
    const connector = await labConnector("refused");
    await t.db.$executeRawUnsafe(`ALTER TABLE "ConnectorValidation" ADD CONSTRAINT test_refuse_run CHECK ("connectorId" <> ${connector.id})`);
    try {
      await expect(validate(connector.id)).rejects.toThrow(/test_refuse_run/);
    } finally {
      await t.db.$executeRawUnsafe(`ALTER TABLE "ConnectorValidation" DROP CONSTRAINT test_refuse_run`);
    }
    expect(await t.db.deliveryEvent.count({ where: { connectorId: connector.id } })).toBe(0);
    expect(await alertsOf(connector.id)).toEqual([]);
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: connector.id } })).foldedThrough).toBeNull();
  });

  it("a connector retired while it is probed is refused with 409, and nothing is stored", async () => {
    const connector = await createConnector(t.db, { smartHosts: [lab.address("neverGreets")] });
    let retiring: Promise<unknown> | undefined;
    const run = validate(connector.id, {
      // The server never greets: the retirement commits while the probe waits for the greeting.
      onStep: (_, step) => {
        // Prisma runs a query when it is awaited: then() sends it now.
        if (step.name === "connect") retiring = t.db.connector.update({ where: { id: connector.id }, data: { retiredAt: new Date(), retiredBy: "admin@example.test" } }).then(() => undefined);
      },
    });
    const error = await run.catch((e: unknown) => e);
    await retiring;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409 });
    expect((error as AppError).message).toMatch(/was retired on/);
    expect(await t.db.connectorValidation.count({ where: { connectorId: connector.id } })).toBe(0);
    expect(await t.db.deliveryEvent.count({ where: { connectorId: connector.id } })).toBe(0);
  });

  it("events that cannot be stored leave no run", async () => {
    const connector = await labConnector("refused");
    await t.db.$executeRawUnsafe(`ALTER TABLE "DeliveryEvent" ADD CONSTRAINT test_refuse_event CHECK ("connectorId" <> ${connector.id})`);
    try {
      await expect(validate(connector.id)).rejects.toThrow(/test_refuse_event/);
    } finally {
      await t.db.$executeRawUnsafe(`ALTER TABLE "DeliveryEvent" DROP CONSTRAINT test_refuse_event`);
    }
    expect(await t.db.connectorValidation.count({ where: { connectorId: connector.id } })).toBe(0);
    expect(await alertsOf(connector.id)).toEqual([]);
  });
});
