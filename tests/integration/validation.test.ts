import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { ingestEvents } from "@/lib/events/ingest";
import { CERT_EXPIRY_CODE, PROBE_SOURCE } from "@/lib/grouping/event";
import { AppError } from "@/lib/http/errors";
import { DEMO_REFUSAL, listValidations, validateConnector, type ValidationRequest } from "@/lib/probe/service";
import { testActor } from "@/tests/helpers/actors";
import { createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { startLab, type Fault, type Lab } from "@/tests/lab/lab";

// "Validate connector" end to end on real Postgres against the fault lab on loopback: the run is
// kept, its observations raise, continue and resolve alerts through the one fold, nothing is ever
// queued for a probe, and a run and its events commit together or not at all.

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
  it("passes a healthy connector, keeps the run and writes DELIVERED probe events (outcome, certificate), queuing nothing", async () => {
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
    expect(events.map((e) => [e.status, e.errorCode, e.clientId])).toEqual([["DELIVERED", null, null], ["DELIVERED", CERT_EXPIRY_CODE, null]]);
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

  it("warns of a certificate expiring within CERT_WARN_DAYS, naming host, certificate and date; only a renewed one ends it", async () => {
    const connector = await labConnector("certExpiringSoon");
    const record = await validate(connector.id);
    expect(record.outcome).toBe("passed");
    const expiresAt = new Date(Math.floor(lab.certificates.expiringSoonAt.getTime() / 1000) * 1000);
    expect(record.certExpiresAt).toBe(expiresAt.toISOString());

    const [warning] = await alertsOf(connector.id);
    expect(warning).toMatchObject({ errorCode: CERT_EXPIRY_CODE, status: "ACTIVE", messageCount: 0, queuedCount: 0, resolvedAt: null, latestDestination: "127.0.0.1" });
    expect(warning?.latestDetails).toContain("127.0.0.1: certificate ");
    expect(warning?.latestDetails).toContain("CN=expiring-soon.lab.test");
    expect(warning?.latestDetails).toContain(`expires ${expiresAt.toISOString()}`);

    // Mail flowing is no news about the certificate.
    await ingestEvents(t.db, [{ connector: connector.id, messageId: "<ok@contoso.example>", recipient: "bo@contoso.example", occurredAt: new Date().toISOString(), status: "delivered" }]);
    expect((await alertsOf(connector.id))[0]).toMatchObject({ resolvedAt: null, recoveredAt: null });

    await validate(connector.id);
    expect(await alertsOf(connector.id)).toEqual([expect.objectContaining({ id: warning!.id, eventCount: 2, resolvedAt: null })]);

    await pointAt(connector.id, "healthy");
    const renewed = await validate(connector.id);
    expect(await alertsOf(connector.id)).toEqual([
      expect.objectContaining({ id: warning!.id, status: "RESOLVED", resolvedReason: "renewed", resolvedAt: new Date(renewed.startedAt) }),
    ]);
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
