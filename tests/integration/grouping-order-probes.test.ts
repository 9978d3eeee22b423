import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingestEvents, ingestObservations } from "@/lib/events/ingest";
import type { EventInput } from "@/lib/events/schemas";
import { PROBE_SOURCE, type FoldEvent } from "@/lib/grouping/event";
import { chunk, groupingSnapshot, shuffle } from "@/tests/helpers/grouping-order";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { emptyEventTables } from "@/tests/helpers/empty-event-tables";

// grouping-order.test.ts with "Validate connector" in the mix: traffic batches (ingestEvents) and
// probe runs (ingestObservations, source "probe") arriving in any order give the alerts, queues
// and hourly counts they give in time order, and probes never leave a queued message behind. A
// probe run gives the fold only its outcome: the certificate warning is kept beside the fold
// (lib/probe/cert-warning.ts), so certificate observations are no fold events.
let t: TestDatabase;
let connectorId = 0;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t?.drop(); });

const T0 = Date.parse("2026-11-25T00:00:00.000Z");
const NOW = new Date(T0 + 4 * 24 * 3600_000);

const trafficArb = fc.record({
  minute: fc.integer({ min: 0, max: 40 * 60 }).map((m) => m - (m % 7)),
  message: fc.integer({ min: 1, max: 8 }),
  status: fc.constantFrom("deferred", "deferred", "deferred", "delivered", "delivered", "failed"),
  code: fc.constantFrom("450 4.4.316", "450 4.4.316", "450 4.4.318", "451 4.4.0"),
  domain: fc.constantFrom("contoso.example", "fabrikam.example"),
});

// A validation's outcome: a pass, or a failure of a code traffic also raises or of one only probes see.
const probeArb = fc.record({
  // Also on traffic's minutes, so probes and mail meet at the same instant.
  minute: fc.integer({ min: 0, max: 40 * 60 }).map((m) => m - (m % 7)),
  outcome: fc.constantFrom("passed", "passed", "passed", "4.4.316", "4.4.318", "4.4.312", "4.7.320", "unknown"),
});

type Traffic = typeof trafficArb extends fc.Arbitrary<infer T> ? T : never;
type ProbeRun = typeof probeArb extends fc.Arbitrary<infer T> ? T : never;
type Arrival = { kind: "traffic"; events: EventInput[] } | { kind: "probe"; events: FoldEvent[] };

it("gives the same alerts, queues and counts whatever order traffic and probes arrive in", { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(trafficArb, { minLength: 0, maxLength: 30 }),
      fc.array(probeArb, { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 1, max: 6 }),
      async (rawTraffic, rawProbes, seed, batchSize) => {
        const traffic = toInputs(rawTraffic);
        const probes = rawProbes.map(toProbeRun);
        const eventCount = traffic.length + probes.reduce((n, p) => n + p.events.length, 0);

        const inTimeOrder = await outcome(eventCount, [
          ...traffic.map((e) => ({ kind: "traffic" as const, events: [e] })),
          ...probes,
        ].sort((a, b) => timeOf(a) - timeOf(b)));
        const trafficFirst = await outcome(eventCount, [...(traffic.length > 0 ? [{ kind: "traffic" as const, events: traffic }] : []), ...probes]);
        const shuffled = await outcome(eventCount, shuffle<Arrival>([
          ...chunk(shuffle(traffic, seed), batchSize).map((events) => ({ kind: "traffic" as const, events })),
          ...probes,
        ], seed + 1));
        const oneByOne = await outcome(eventCount, shuffle<Arrival>([
          ...traffic.map((e) => ({ kind: "traffic" as const, events: [e] })),
          ...probes,
        ], seed + 2));
        expect(trafficFirst).toEqual(inTimeOrder);
        expect(shuffled).toEqual(inTimeOrder);
        expect(oneByOne).toEqual(inTimeOrder);
      },
    ),
    { numRuns: 20, seed: 4243 },
  );
});

function toInputs(raw: Traffic[]): EventInput[] {
  return raw.map((r, i) => ({
    id: `e${i}`,
    occurredAt: new Date(T0 + r.minute * 60_000).toISOString(),
    connector: "Hybrid",
    messageId: `<m${r.message}@contoso.example>`,
    recipient: `user${r.message}@${r.domain}`,
    status: r.status as EventInput["status"],
    ...(r.status === "delivered" ? {} : { errorCode: r.code, errorDetails: `${r.code} detail ${i}`, destination: `mx${i % 3}.contoso.example` }),
  }));
}

function timeOf(arrival: Arrival): number {
  return arrival.kind === "probe" ? arrival.events[0]!.occurredAt.getTime() : Date.parse(arrival.events[0]!.occurredAt);
}

let runs = 0;

/** What lib/probe/observations.ts makes of one validation (its shape, not its words): one outcome event. */
function toProbeRun(r: ProbeRun): Arrival & { kind: "probe" } {
  const base = {
    clientId: null, occurredAt: new Date(T0 + r.minute * 60_000), messageId: `probe:run-${++runs}`, sender: null, recipient: null,
    recipientDomain: null, smtpStatus: null, probe: true,
  };
  const event: FoldEvent = r.outcome === "passed"
    ? { ...base, status: "DELIVERED", errorCode: null, errorDetails: null, destination: null }
    : { ...base, status: "DEFERRED", smtpStatus: 450, errorCode: r.outcome, errorDetails: `Validate connector, connect step: ${r.outcome} at ${r.minute}`, destination: "mail.contoso.example:25" };
  return { kind: "probe", events: [event] };
}

async function outcome(eventCount: number, arrivals: Arrival[]) {
  await reset(t.db);
  for (const arrival of arrivals) {
    if (arrival.kind === "probe") {
      await ingestObservations(t.db, connectorId, arrival.events, PROBE_SOURCE, { now: NOW });
    } else {
      const result = await ingestEvents(t.db, arrival.events, { now: NOW });
      expect(result.rejected).toEqual([]);
    }
  }
  expect(await t.db.deliveryEvent.count()).toBe(eventCount);
  expect(await t.db.queuedMessage.count({ where: { messageId: { startsWith: "probe:" } } })).toBe(0);
  return groupingSnapshot(t.db);
}

async function reset(db: Db) {
  await emptyEventTables(db);
  const connector = await db.connector.create({ data: { name: "Hybrid", kind: "ON_PREMISES", smartHosts: ["mail.contoso.example"], recipientDomains: ["*"] } });
  connectorId = connector.id;
}
