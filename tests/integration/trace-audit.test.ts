import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerOf, type Db } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { AUDIT_WINDOW_MS, openTraceStory, runTraceSearch, traceSearchOf } from "@/lib/trace/service";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { testActor } from "@/tests/helpers/actors";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Trace searches show people's addresses: each search and each story opened is audited with who,
// when, the filter and the rows, once per user and search within the audit window (page flips and
// reloads of the same search are one look at the same data).
let t: TestDatabase;
let db: Db;
const vera = testActor("Vera", "VIEWER");
const otto = testActor("Otto", "OPERATOR");
const NOW = new Date();
const H = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const c = await createConnector(db);
  const events = Array.from({ length: 5 }, (_, i) =>
    buildEvent({ connector: c.id, occurredAt: new Date(NOW.getTime() - (i + 1) * H).toISOString(), sender: "alice@contoso.se", recipient: `r${i}@fabrikam.se`, status: "delivered", errorCode: undefined }));
  expect((await ingestEvents(db, events)).accepted).toBe(5);
});

afterAll(async () => {
  await t.drop();
});

const entries = () => db.auditEntry.findMany({ where: { targetType: "trace" }, orderBy: { id: "asc" } });

describe("trace audit", () => {
  it("records who searched, when, the filter and its range, and how many rows the page had", async () => {
    const search = traceSearchOf({ sender: "Alice@contoso.se", limit: "2" }, NOW);
    const first = await runTraceSearch(readerOf(db), db, vera, search, undefined, NOW);
    expect(first.items).toHaveLength(2);
    const [entry, ...rest] = await entries();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ actor: "Vera", action: "trace.search", at: NOW });
    expect(entry!.after).toEqual({
      filter: { sender: "Alice@contoso.se", from: new Date(NOW.getTime() - 48 * H).toISOString(), to: NOW.toISOString() },
      rows: 2, more: true, page: "first",
    });
  });

  it("does not record the same user's next pages or a reload of the same search within the window", async () => {
    const search = traceSearchOf({ sender: "Alice@contoso.se", limit: "2" }, NOW);
    const first = await runTraceSearch(readerOf(db), db, vera, search, undefined, new Date(NOW.getTime() + 1000));
    await runTraceSearch(readerOf(db), db, vera, search, first.nextCursor!, new Date(NOW.getTime() + 2000));
    expect(await entries()).toHaveLength(1);
  });

  it("records another search, another user and the same search after the window", async () => {
    await runTraceSearch(readerOf(db), db, vera, traceSearchOf({ recipient: "@fabrikam.se" }, NOW), undefined, NOW);
    await runTraceSearch(readerOf(db), db, otto, traceSearchOf({ sender: "Alice@contoso.se", limit: "2" }, NOW), undefined, NOW);
    const later = new Date(NOW.getTime() + AUDIT_WINDOW_MS + 1000);
    await runTraceSearch(readerOf(db), db, vera, traceSearchOf({ sender: "Alice@contoso.se", limit: "2" }, later), undefined, later);
    const all = await entries();
    expect(all.map((e) => [e.actor, (e.after as { filter: Record<string, string> }).filter.sender ?? (e.after as { filter: Record<string, string> }).filter.recipient])).toEqual([
      ["Vera", "Alice@contoso.se"], ["Vera", "@fabrikam.se"], ["Otto", "Alice@contoso.se"], ["Vera", "Alice@contoso.se"],
    ]);
    expect((all[1]!.after as { rows: number }).rows).toBe(5);
  });

  it("records a story opened, once per user and message within the window", async () => {
    const { items } = await runTraceSearch(readerOf(db), db, vera, traceSearchOf({}, NOW), undefined, NOW);
    const before = (await entries()).length;
    await openTraceStory(readerOf(db), db, vera, BigInt(items[0]!.id), NOW);
    await openTraceStory(readerOf(db), db, vera, BigInt(items[0]!.id), new Date(NOW.getTime() + 1000));
    await openTraceStory(readerOf(db), db, vera, BigInt(items[1]!.id), NOW);
    const views = (await entries()).slice(before);
    expect(views.map((e) => [e.action, (e.after as { recipient: string }).recipient])).toEqual([
      ["trace.view", items[0]!.recipient], ["trace.view", items[1]!.recipient],
    ]);
  });

  it("lets viewers search: reading events is theirs", async () => {
    await expect(runTraceSearch(readerOf(db), db, testActor("V2", "VIEWER"), traceSearchOf({}, NOW), undefined, NOW)).resolves.toMatchObject({ items: expect.any(Array) });
  });
});
