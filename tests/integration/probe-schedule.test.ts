import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dueConnectors, probeDueConnectors, SCHEDULED_HISTORY_DAYS } from "@/lib/probe/schedule";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { startLab, type Lab } from "@/tests/lab/lab";

// Scheduled probing against the lab on loopback: which connectors are due, what a run does to
// alerts (a failing probe raises the connector's alert without queuing anything), the bound on
// concurrent probes, the abort signal, and the pruning of old scheduled validations.

const SHORT = { dnsMs: 300, connectMs: 1_000, greetingMs: 300, replyMs: 1_000, tlsMs: 1_000, overallMs: 5_000 } as const;
const MINUTE = 60_000;

let t: TestDatabase;
let lab: Lab;

beforeAll(async () => {
  [t, lab] = await Promise.all([createAppTestDatabase(), startLab({ faults: ["healthy", "refused"] })]);
});
afterAll(async () => {
  await Promise.all([t?.drop(), lab?.stop()]);
});
beforeEach(async () => {
  await t.db.$executeRawUnsafe(`TRUNCATE "DeliveryEvent", "EventClientId", "EventHourlyCount", "QueuedMessage", "Alert", "ConnectorValidation", "Connector" RESTART IDENTITY CASCADE`);
});

type ConnectorSeed = { name: string; smartHosts?: string[]; enabled?: boolean; demo?: boolean; retired?: boolean; useMxRecord?: boolean; recipientDomains?: string[] };

async function connector(seed: ConnectorSeed): Promise<number> {
  const row = await t.db.connector.create({
    data: {
      name: seed.name,
      kind: "PARTNER",
      enabled: seed.enabled ?? true,
      demo: seed.demo ?? false,
      retiredAt: seed.retired ? new Date() : null,
      useMxRecord: seed.useMxRecord ?? false,
      smartHosts: seed.smartHosts ?? [],
      recipientDomains: seed.recipientDomains ?? ["lab.test"],
      tlsMode: "OPPORTUNISTIC",
    },
  });
  return row.id;
}

const run = (options: Partial<Parameters<typeof probeDueConnectors>[1]> = {}) =>
  probeDueConnectors(t.db, { intervalMinutes: 15, concurrency: 2, probe: { timeouts: SHORT }, log: { warn: () => undefined }, ...options });

describe("scheduled probing", () => {
  it("picks enabled, live, non-demo connectors with somewhere to send to, the longest-waiting first", async () => {
    const healthy = await connector({ name: "Healthy", smartHosts: [lab.address("healthy")] });
    await connector({ name: "Disabled", smartHosts: [lab.address("healthy")], enabled: false });
    await connector({ name: "Demo", smartHosts: ["mail.contoso-nordic.se"], demo: true });
    await connector({ name: "Retired", smartHosts: [lab.address("healthy")], retired: true });
    await connector({ name: "MX for every domain", useMxRecord: true, recipientDomains: ["*"] });
    const mx = await connector({ name: "MX for lab.test", useMxRecord: true, recipientDomains: ["*", "lab.test"] });
    const noHost = await connector({ name: "No smart host" });
    const now = new Date();
    expect((await dueConnectors(t.db, 15, now, 10)).map((c) => c.id).sort()).toEqual([healthy, mx].sort());
    expect(noHost).toBeGreaterThan(0);

    await t.db.connectorValidation.create({ data: validation(healthy, "manual", new Date(now.getTime() - 5 * MINUTE)) });
    expect((await dueConnectors(t.db, 15, now, 10)).map((c) => c.id)).toEqual([mx]);
    expect((await dueConnectors(t.db, 15, new Date(now.getTime() + 11 * MINUTE), 10)).map((c) => c.id)).toEqual([mx, healthy]);
    expect(await dueConnectors(t.db, 15, now, 0)).toEqual([]);
  });

  it("validates each due connector once per interval; a failing one raises its alert without queuing anything", async () => {
    const healthy = await connector({ name: "Healthy", smartHosts: [lab.address("healthy")] });
    const refused = await connector({ name: "Refused", smartHosts: [lab.address("refused")] });

    expect(await run()).toEqual({ probed: 2, passed: 1, failed: 1, skipped: 0, errors: 0 });
    expect(await run()).toEqual({ probed: 0, passed: 0, failed: 0, skipped: 0, errors: 0 });
    const later = new Date(Date.now() + 16 * MINUTE);
    expect(await run({ now: later })).toEqual({ probed: 2, passed: 1, failed: 1, skipped: 0, errors: 0 });

    const validations = await t.db.connectorValidation.findMany({ orderBy: { id: "asc" } });
    expect(validations.map((v) => [v.connectorId, v.trigger, v.actor, v.outcome, v.errorCode])).toEqual(
      expect.arrayContaining([
        [healthy, "scheduled", "schedule", "passed", null],
        [refused, "scheduled", "schedule", "failed", "4.4.316"],
      ]),
    );
    expect(validations).toHaveLength(4);
    const alerts = await t.db.alert.findMany();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ connectorId: refused, errorCode: "4.4.316", status: "ACTIVE", eventCount: 2, messageCount: 0, queuedCount: 0, expiredCount: 0 });
    expect(await t.db.queuedMessage.count()).toBe(0);
    expect(await t.db.eventHourlyCount.count()).toBe(0);
    // Per run only its outcome: a healthy run's pass, a refused run's failure. The certificate (not
    // expiring soon) is no event: the warning is kept beside the fold (lib/probe/cert-warning.ts).
    const events = await t.db.deliveryEvent.groupBy({ by: ["connectorId", "status", "errorCode"], where: { source: "probe" }, _count: true });
    expect(events.map((e) => [e.connectorId, e.status, e.errorCode, e._count]).sort()).toEqual(
      [[healthy, "DELIVERED", null, 2], [refused, "DEFERRED", "4.4.316", 2]].sort(),
    );
  });

  it("runs at most `concurrency` probes at once and still probes every due connector", async () => {
    const silent = await silentServer();
    try {
      for (let i = 0; i < 6; i++) await connector({ name: `Silent ${i}`, smartHosts: [`127.0.0.1:${silent.port}`] });
      const summary = await run({ concurrency: 2 });
      expect(summary).toEqual({ probed: 6, passed: 0, failed: 6, skipped: 0, errors: 0 });
      expect(silent.connections()).toBe(6);
      expect(silent.maxOpen()).toBeLessThanOrEqual(2);
      expect(silent.maxOpen()).toBeGreaterThanOrEqual(1);
      const codes = await t.db.alert.findMany({ select: { errorCode: true } });
      expect(codes.map((c) => c.errorCode)).toEqual(Array(6).fill("4.4.318"));
    } finally {
      await silent.stop();
    }
  });

  it("starts no probe once its signal is aborted", async () => {
    await connector({ name: "Healthy", smartHosts: [lab.address("healthy")] });
    const controller = new AbortController();
    controller.abort();
    expect(await run({ signal: controller.signal })).toEqual({ probed: 0, passed: 0, failed: 0, skipped: 0, errors: 0 });
    expect(await t.db.connectorValidation.count()).toBe(0);
  });

  it(`removes scheduled validations older than ${SCHEDULED_HISTORY_DAYS} days and keeps those someone asked for`, async () => {
    const id = await connector({ name: "Disabled", smartHosts: [lab.address("healthy")], enabled: false });
    const old = new Date(Date.now() - (SCHEDULED_HISTORY_DAYS + 1) * 24 * 60 * MINUTE);
    const recent = new Date(Date.now() - 2 * 24 * 60 * MINUTE);
    await t.db.connectorValidation.createMany({
      data: [validation(id, "scheduled", old), validation(id, "manual", old), validation(id, "command-line", old), validation(id, "scheduled", recent)],
    });
    await run();
    const kept = await t.db.connectorValidation.findMany({ orderBy: { id: "asc" }, select: { trigger: true, startedAt: true } });
    expect(kept).toEqual([
      { trigger: "manual", startedAt: old },
      { trigger: "command-line", startedAt: old },
      { trigger: "scheduled", startedAt: recent },
    ]);
  });
});

function validation(connectorId: number, trigger: string, startedAt: Date) {
  return { connectorId, trigger, actor: "test", startedAt, durationMs: 5, outcome: "passed", targets: [] };
}

/** A server that accepts and never greets, counting the connections open at once. */
async function silentServer() {
  let open = 0;
  let maxOpen = 0;
  let total = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    total += 1;
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      open -= 1;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    connections: () => total,
    maxOpen: () => maxOpen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
