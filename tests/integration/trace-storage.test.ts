import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import type { EventInput } from "@/lib/events/schemas";
import { ATTEMPTS_SQL, searchSql } from "@/lib/trace/queries";
import { parseTraceSearch, type TraceSearch } from "@/lib/trace/search";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// How the trace is stored and read: the migration's backfill makes the rows ingest keeps, and
// every search the page offers is an index scan, never a sequential scan of the trace or the events.
let t: TestDatabase;
let db: Db;
const NOW = new Date();
const H = 3_600_000;
const MIGRATION = path.join(process.cwd(), "prisma/migrations/20261201210000_trace/migration.sql");

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});

afterAll(async () => {
  await t.drop();
});

const traceRows = () => db.$queryRawUnsafe<Record<string, unknown>[]>(
  `SELECT "connectorId", "messageId", recipient, "recipientDomain", sender, source, "firstAttemptAt", "lastAttemptAt", attempts,
          "lastStatus"::text, "lastCode", "lastCodeAt" FROM "TraceMessage" ORDER BY "connectorId", "messageId", recipient`,
);

describe("the migration's backfill", () => {
  it("makes from stored events the rows ingest keeps, batch after batch and out of order", async () => {
    const a = await createConnector(db);
    const b = await createConnector(db);
    const at = (h: number) => new Date(NOW.getTime() - h * H).toISOString();
    const batches: EventInput[][] = [
      [
        buildEvent({ connector: a.id, messageId: "<1@x>", recipient: "r1@x.se", occurredAt: at(10), errorCode: "450 4.4.316" }),
        buildEvent({ connector: a.id, messageId: "<1@x>", recipient: "r2@x.se", occurredAt: at(10), status: "delivered", errorCode: undefined }),
        buildEvent({ connector: b.id, messageId: "<1@x>", recipient: "r1@x.se", occurredAt: at(9), errorCode: "450 4.7.320" }),
      ],
      [
        buildEvent({ connector: a.id, messageId: "<1@x>", recipient: "r1@x.se", occurredAt: at(8), status: "delivered", errorCode: undefined }),
        buildEvent({ connector: a.id, messageId: "<1@x>", recipient: "r1@x.se", occurredAt: at(12), errorCode: "450 4.4.318" }),
        buildEvent({ connector: b.id, messageId: "<2@x>", recipient: undefined, occurredAt: at(7), status: "failed", errorCode: "550 5.1.1" }),
      ],
      [buildEvent({ connector: b.id, messageId: "<1@x>", recipient: "r1@x.se", occurredAt: at(9), errorCode: "450 4.4.315" })],
    ];
    for (const batch of batches) expect((await ingestEvents(db, batch)).rejected).toEqual([]);
    const kept = await traceRows();
    expect(kept).toHaveLength(4);

    const sql = readFileSync(MIGRATION, "utf8");
    const backfill = sql.slice(sql.indexOf('INSERT INTO "TraceMessage"'), sql.indexOf("-- CreateIndex"));
    await db.$executeRawUnsafe(`TRUNCATE "TraceMessage"`);
    await db.$executeRawUnsafe(backfill);
    expect(await traceRows()).toEqual(kept);
  });
});

describe("trace searches use indexes", () => {
  let sample: { messageId: string; sender: string; recipient: string; domain: string; code: string; connectorId: number };

  beforeAll(async () => {
    const connectors = [await createConnector(db), await createConnector(db)];
    // 60,000 rows over 30 days: enough that Postgres' planner prefers a sequential scan wherever an index would not serve.
    await db.$executeRawUnsafe(`
      INSERT INTO "TraceMessage" ("connectorId", "messageId", recipient, "recipientDomain", sender, source, "firstAttemptAt", "lastAttemptAt",
        attempts, "lastStatus", "lastCode", "lastCodeAt")
      SELECT CASE WHEN i % 2 = 0 THEN $1::int ELSE $2::int END, '<m' || i || '@contoso.se>', 'user' || (i % 20000) || '@d' || (i % 50) || '.se', 'd' || (i % 50) || '.se',
             'sender' || (i % 300) || '@contoso.se', 'api', $3::timestamptz - (i * interval '43 seconds'), $3::timestamptz - (i * interval '43 seconds') + interval '5 minutes',
             1 + i % 3, (CASE WHEN i % 10 = 0 THEN 'DEFERRED' ELSE 'DELIVERED' END)::"EventStatus",
             CASE WHEN i % 4 = 0 THEN '4.4.' || (312 + i % 7) END, CASE WHEN i % 4 = 0 THEN $3::timestamptz - (i * interval '43 seconds') END
      FROM generate_series(1, 60000) AS i`,
      connectors[0]!.id, connectors[1]!.id, NOW.toISOString(),
    );
    await db.$executeRawUnsafe(`
      INSERT INTO "DeliveryEvent" ("occurredAt", "connectorId", "messageId", sender, recipient, "recipientDomain", status, "errorCode")
      SELECT $3::timestamptz - (i * interval '43 seconds'), CASE WHEN i % 2 = 0 THEN $1::int ELSE $2::int END, '<m' || i || '@contoso.se>', 'sender@contoso.se',
             'user' || (i % 20000) || '@d' || (i % 50) || '.se', 'd' || (i % 50) || '.se', 'DELIVERED', NULL
      FROM generate_series(1, 60000) AS i`,
      connectors[0]!.id, connectors[1]!.id, NOW.toISOString(),
    );
    await db.$executeRawUnsafe(`ANALYZE "TraceMessage"`);
    await db.$executeRawUnsafe(`ANALYZE "DeliveryEvent"`);
    sample = { messageId: "<m1234@contoso.se>", sender: "sender7@contoso.se", recipient: "user1234@d34.se", domain: "@d17.se", code: "4.4.316", connectorId: connectors[0]!.id };
  });

  const cases: [string, (s: typeof sample) => Record<string, string>, RegExp][] = [
    ["message id", (s) => ({ messageId: s.messageId }), /TraceMessage_messageId_recipient_connectorId_key/],
    ["sender", (s) => ({ sender: s.sender }), /TraceMessage_sender_firstAttemptAt_id_idx/],
    ["recipient", (s) => ({ recipient: s.recipient }), /TraceMessage_recipient_firstAttemptAt_id_idx/],
    ["@domain", (s) => ({ recipient: s.domain }), /TraceMessage_recipientDomain_firstAttemptAt_id_idx/],
    ["code", (s) => ({ code: s.code }), /TraceMessage_lastCode_firstAttemptAt_id_idx/],
    ["time range only", () => ({}), /TraceMessage_firstAttemptAt_id_idx/],
    ["a long range", () => ({ from: new Date(NOW.getTime() - 89 * 24 * H).toISOString() }), /TraceMessage_/],
    ["connector and state", (s) => ({ connector: String(s.connectorId), status: "queued" }), /TraceMessage_/],
    ["sender and code", (s) => ({ sender: s.sender, code: s.code }), /TraceMessage_/],
  ];

  it.each(cases)("%s: an index scan, first page and next", async (_, params, index) => {
    const parsed = parseTraceSearch(params(sample), NOW);
    expect(parsed.ok).toBe(true);
    const search = (parsed as { search: TraceSearch }).search;
    for (const after of [undefined, { t: new Date(NOW.getTime() - 3 * H).toISOString(), id: "55555" }]) {
      const { sql, values } = searchSql(search, after, search.limit + 1);
      const plan = await explain(sql, values);
      expect(plan, plan).not.toMatch(/Seq Scan on "?TraceMessage/);
      expect(plan, plan).toMatch(index);
    }
  });

  it("reads a story's attempts through the events' (connectorId, occurredAt) index", async () => {
    // The events table is partitioned by day (issue 15): each partition's copy of the index counts.
    // A partition of a few rows (the day that just began, when the window crosses midnight UTC) is
    // cheaper to read whole, so sequential scans are off: the plan then shows whether every
    // partition the window touches has the index, whatever the time of day.
    const plan = await explain(ATTEMPTS_SQL, [sample.connectorId, new Date(NOW.getTime() - 2 * H).toISOString(), NOW.toISOString(), sample.messageId, sample.recipient], { seqScan: false });
    expect(plan).not.toMatch(/Seq Scan on "?DeliveryEvent/);
    expect(plan).toMatch(/Index Scan on "?DeliveryEvent\w*_connectorId_(errorCode_)?occurredAt_idx/);
  });
});

async function explain(sql: string, values: unknown[], options: { seqScan?: boolean } = {}): Promise<string> {
  const rows = await db.$transaction(async (tx) => {
    if (options.seqScan === false) await tx.$executeRawUnsafe(`SET LOCAL enable_seqscan = off`);
    return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`, ...values);
  });
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}
