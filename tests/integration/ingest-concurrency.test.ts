import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestEvents } from "@/lib/events/ingest";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(12); });
afterAll(async () => { await t?.drop(); });

it("never loses a count when 8 writers hit the same alert at once", async () => {
  const connector = await createConnector(t.db);
  const writers = 8;
  const perWriter = 150;
  const base = Date.parse("2026-11-27T06:00:00.000Z");
  const batches = Array.from({ length: writers }, (_, w) =>
    Array.from({ length: perWriter }, (_, i) =>
      buildEvent({
        id: `w${w}-${i}`,
        connector: connector.id,
        // Interleaved times: every writer's batch overlaps the others', forcing replays.
        occurredAt: new Date(base + (i * writers + w) * 1000).toISOString(),
        messageId: `<w${w}-${i}@contoso.example>`,
      }),
    ),
  );
  // The same events again from a 9th writer: each must be stored once.
  const results = await Promise.all([...batches, batches[0]!].map((b) => ingestEvents(t.db, b, { now: new Date(base + 86_400_000) })));
  expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(writers * perWriter);
  expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(perWriter);

  const alerts = await t.db.alert.findMany();
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ eventCount: writers * perWriter, messageCount: writers * perWriter, queuedCount: writers * perWriter });
  expect(await t.db.queuedMessage.count({ where: { state: "QUEUED" } })).toBe(writers * perWriter);
  expect(await t.db.deliveryEvent.count()).toBe(writers * perWriter);
});
