import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import type { EventInput } from "@/lib/events/schemas";
import { chunk, groupingSnapshot, shuffle } from "@/tests/helpers/grouping-order";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { emptyEventTables } from "@/tests/helpers/empty-event-tables";

// The same events, ingested shuffled one by one, in random batches or all at once, give the
// same alerts and queues: the fold is a function of the set of events, not of their arrival.
let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t?.drop(); });

const T0 = Date.parse("2026-11-25T00:00:00.000Z");
const NOW = new Date(T0 + 4 * 24 * 3600_000);

const eventArb = fc.record({
  minute: fc.integer({ min: 0, max: 40 * 60 }).map((m) => m - (m % 7)),
  message: fc.integer({ min: 1, max: 8 }),
  status: fc.constantFrom("deferred", "deferred", "deferred", "delivered", "delivered", "failed"),
  code: fc.constantFrom("450 4.4.316", "450 4.4.316", "450 4.7.320", "451 4.4.0"),
  domain: fc.constantFrom("contoso.example", "fabrikam.example"),
});

type RawEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function toInputs(raw: RawEvent[]): EventInput[] {
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

it("gives the same alerts and queues whatever the arrival order and batch boundaries", { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(eventArb, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 2, max: 9 }),
      async (raw, seed, batchSize) => {
        const events = toInputs(raw);
        const inOneBatch = await outcome(events, [events]);
        const shuffled = shuffle(events, seed);
        const oneByOne = await outcome(events, shuffled.map((e) => [e]));
        const batches = await outcome(events, chunk(shuffle(events, seed + 1), batchSize));
        expect(oneByOne).toEqual(inOneBatch);
        expect(batches).toEqual(inOneBatch);
      },
    ),
    { numRuns: 20, seed: 4242 },
  );
});

async function outcome(all: EventInput[], batches: EventInput[][]) {
  await reset(t.db);
  for (const batch of batches) {
    const result = await ingestEvents(t.db, batch, { now: NOW });
    expect(result.rejected).toEqual([]);
  }
  expect(await t.db.deliveryEvent.count()).toBe(all.length);
  return groupingSnapshot(t.db);
}

async function reset(db: Db) {
  await emptyEventTables(db);
  await db.connector.create({ data: { name: "Hybrid", kind: "ON_PREMISES", smartHosts: ["mail.contoso.example"], recipientDomains: ["*"] } });
}
