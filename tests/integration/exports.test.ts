import { parse } from "csv-parse/sync";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as alertExport } from "@/app/api/alerts/export/route";
import { GET as alertList } from "@/app/api/alerts/route";
import { GET as auditExport } from "@/app/api/audit/export/route";
import { GET as auditList } from "@/app/api/audit/route";
import { GET as eventExport } from "@/app/api/connectors/[id]/events/export/route";
import { GET as eventList } from "@/app/api/connectors/[id]/events/route";
import type { Actor } from "@/lib/auth/roles";
import { resetEnvCache } from "@/lib/env";
import { createSignedInUser, withCookie } from "@/tests/helpers/auth-session";
import { createConnector } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// CSV exports through their route handlers against Postgres: the same rows as the pages' lists,
// roles, the per-user limit of concurrent exports and its release, the audit entry, and memory.
const BASE = "http://localhost:3000";
let t: TestDatabase;
let admin: { actor: Actor; cookie: string };
let viewer: { actor: Actor; cookie: string };
let operator: { actor: Actor; cookie: string };
let gbg: number;
let malmo: number;

beforeAll(async () => {
  t = await createAppTestDatabase();
  admin = await createSignedInUser(t.db, "ADMIN", "Åsa Admin");
  viewer = await createSignedInUser(t.db, "VIEWER", "Viktor Viewer");
  operator = await createSignedInUser(t.db, "OPERATOR", "Olle Operator");
  gbg = (await createConnector(t.db, { name: "Göteborg relä" })).id;
  malmo = (await createConnector(t.db, { name: "Malmö partner", kind: "PARTNER" })).id;
  const at = (h: number) => new Date(Date.UTC(2026, 10, 27, h));
  await t.db.alert.createMany({
    data: [
      { connectorId: gbg, errorCode: "4.4.316", status: "ACTIVE", severity: "HIGH", firstSeenAt: at(1), lastSeenAt: at(9), eventCount: 12, queuedCount: 4, latestDetails: "=cmd|' /C calc'!A0", latestDestination: "mail.göteborg.se" },
      { connectorId: malmo, errorCode: "5.7.1", status: "ACTIVE", severity: "MEDIUM", firstSeenAt: at(2), lastSeenAt: at(8), eventCount: 3, latestDetails: 'Relay denied, "räksmörgås"\nsecond line' },
      { connectorId: gbg, errorCode: "4.4.0", status: "RESOLVED", severity: "LOW", firstSeenAt: at(0), lastSeenAt: at(3), resolvedAt: at(4), eventCount: 1, latestDetails: "Disk 100% full_now" },
      { connectorId: malmo, errorCode: "4.4.316", status: "SNOOZED", severity: "HIGH", firstSeenAt: at(5), lastSeenAt: at(9), snoozedUntil: at(20), eventCount: 7, latestDetails: "+46 8 123 45 67" },
    ],
  });
  await t.db.deliveryEvent.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      connectorId: gbg,
      occurredAt: new Date(Date.UTC(2026, 10, 27, 10, i)),
      messageId: `<m${i}@göteborg.se>`,
      sender: i % 3 === 0 ? "@evil" : "åsa@göteborg.se",
      recipient: `mottagare${i}@malmö.se`,
      status: i % 2 === 0 ? "DEFERRED" : "DELIVERED",
      errorCode: i % 2 === 0 ? (i % 4 === 0 ? "4.4.316" : "4.4.0") : null,
      errorDetails: i % 2 === 0 ? "-connection refused, try later" : null,
      destination: "mail.göteborg.se",
    })),
  });
});
afterAll(async () => {
  await t?.drop();
});
afterEach(() => {
  delete process.env.EXPORT_MAX_CONCURRENT_PER_USER;
  resetEnvCache();
});

type Ctx = { params: Promise<{ id: string }> };
const idCtx = (id: number): Ctx => ({ params: Promise.resolve({ id: String(id) }) });
const as = (who: { cookie: string }, extra: Record<string, string> = {}) => (url: string) => withCookie(who.cookie)(`${BASE}${url}`, { headers: extra });

async function csvOf(res: Response): Promise<{ text: string; records: string[][] }> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  return { text, records: parse(text, { bom: true, relax_column_count: false }) as string[][] };
}

/** Every item id of a paged JSON list, following nextCursor. */
async function allIds(call: (search: string) => Promise<Response>, search: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(search);
    params.set("limit", String(limit));
    if (cursor) params.set("cursor", cursor);
    const res = await call(params.toString());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: number | string }[]; nextCursor: string | null };
    ids.push(...body.items.map((i) => String(i.id)));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

async function exportAudits(kind: string) {
  return t.db.auditEntry.findMany({ where: { action: "export.csv", targetType: "export", targetId: kind }, orderBy: { id: "asc" } });
}

describe("alerts export", () => {
  it.each([
    ["", 1],
    ["status=all&sort=firstSeen&order=asc", 1],
    [`status=all&connector=${0}`, 1],
    ["status=active&code=4.4.316&sort=severity", 1],
    ["status=all&q=göteborg&sort=events&order=asc", 1],
  ])("has the header and exactly the rows GET /api/alerts lists for ?%s, in its order, for a viewer", async (rawSearch) => {
    const search = rawSearch.replace("connector=0", `connector=${gbg}`);
    const expected = await allIds((s) => alertList(as(viewer)(`/api/alerts?${s}`), undefined), search, 1);
    const { records } = await csvOf(await alertExport(as(viewer)(`/api/alerts/export?${search}`), undefined));
    expect(records[0]).toEqual([
      "Alert id", "Connector", "Code", "Status", "Severity", "First seen (UTC)", "Last seen (UTC)", "Events", "Messages", "Queued",
      "Expired", "Oldest queued (UTC)", "Latest destination", "Latest details", "Resolved (UTC)", "Snoozed until (UTC)", "Regression of alert",
    ]);
    expect(records.slice(1).map((r) => r[0])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it("ignores the page's cursor and size: every row from the first", async () => {
    const first = (await (await alertList(as(viewer)("/api/alerts?status=all&limit=1"), undefined)).json()) as { nextCursor: string };
    const { records } = await csvOf(await alertExport(as(viewer)(`/api/alerts/export?status=all&limit=1&cursor=${first.nextCursor}`), undefined));
    expect(records).toHaveLength(1 + 4);
  });

  it("writes values as stored, times in UTC ISO 8601, Swedish letters intact and formula prefixes neutralised", async () => {
    const { text, records } = await csvOf(await alertExport(as(viewer)(`/api/alerts/export?status=all&sort=firstSeen&order=asc`), undefined));
    expect(text).toContain("\r\n");
    const byCode = new Map(records.slice(1).map((r) => [`${r[1]} ${r[2]}`, r]));
    const gbgRow = byCode.get("Göteborg relä 4.4.316");
    expect(gbgRow?.slice(3, 8)).toEqual(["ACTIVE", "HIGH", "2026-11-27T01:00:00.000Z", "2026-11-27T09:00:00.000Z", "12"]);
    expect(gbgRow?.[12]).toBe("mail.göteborg.se");
    expect(gbgRow?.[13]).toBe("'=cmd|' /C calc'!A0");
    expect(gbgRow?.[14]).toBe("");
    expect(byCode.get("Malmö partner 5.7.1")?.[13]).toBe('Relay denied, "räksmörgås"\nsecond line');
    expect(byCode.get("Malmö partner 4.4.316")?.[13]).toBe("'+46 8 123 45 67");
    expect(byCode.get("Malmö partner 4.4.316")?.[15]).toBe("2026-11-27T20:00:00.000Z");
  });

  it("names its columns in the page's language (the locale cookie, else Accept-Language)", async () => {
    const sv = await csvOf(await alertExport(withCookie(`${viewer.cookie}; locale=sv`)(`${BASE}/api/alerts/export`), undefined));
    expect(sv.records[0]?.slice(0, 5)).toEqual(["Aviserings-id", "Anslutning", "Kod", "Status", "Allvarlighet"]);
    const accept = await csvOf(await alertExport(as(viewer, { "accept-language": "sv-SE,sv;q=0.9" })("/api/alerts/export"), undefined));
    expect(accept.records[0]?.[5]).toBe("Först sedd (UTC)");
  });

  it("refuses bad filters with 400 naming the parameter, and a signed-out request with 401", async () => {
    const bad = await alertExport(as(viewer)("/api/alerts/export?status=bogus"), undefined);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^Invalid status/);
    expect((await alertExport(as(viewer)("/api/alerts/export?drop=table"), undefined)).status).toBe(400);
    expect((await alertExport(new Request(`${BASE}/api/alerts/export`), undefined)).status).toBe(401);
  });

  it.each([
    ["%_%", 0],
    ["100%", 1],
    ["full_now", 1],
    ["full%now", 0],
    ["0_ful", 0],
  ])("treats %% and _ in the search %j as plain characters, in the list and the export alike", async (q, rows) => {
    const search = `status=all&q=${encodeURIComponent(q)}`;
    expect(await allIds((s) => alertList(as(viewer)(`/api/alerts?${s}`), undefined), search, 10)).toHaveLength(rows);
    const { records } = await csvOf(await alertExport(as(viewer)(`/api/alerts/export?${search}`), undefined));
    expect(records).toHaveLength(1 + rows);
  });
});

describe("connector events export", () => {
  it.each(["", "status=DEFERRED", "code=4.4.316", "status=DELIVERED&from=2026-11-27T10:05:00Z&to=2026-11-27T10:20:00Z"])(
    "has exactly the rows of the connector's events list for ?%s, newest first",
    async (search) => {
      const expected = await allIds((s) => eventList(as(viewer)(`/api/connectors/${gbg}/events?${s}`), idCtx(gbg)), search, 7);
      const { records } = await csvOf(await eventExport(as(viewer)(`/api/connectors/${gbg}/events/export?${search}`), idCtx(gbg)));
      expect(records[0]).toEqual(["Event id", "Time (UTC)", "Connector", "Result", "Code", "Message id", "Sender", "Recipient", "Destination", "Details", "Source"]);
      expect(records.slice(1).map((r) => r[0])).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    },
  );

  it("writes the connector's name and neutralises senders and details that would run as formulas", async () => {
    const { records } = await csvOf(await eventExport(as(viewer)(`/api/connectors/${gbg}/events/export?status=DEFERRED`), idCtx(gbg)));
    const newest = records[1];
    expect(newest?.slice(1, 5)).toEqual(["2026-11-27T10:28:00.000Z", "Göteborg relä", "DEFERRED", "4.4.316"]);
    expect(newest?.[7]).toBe("mottagare28@malmö.se");
    expect(newest?.[9]).toBe("'-connection refused, try later");
    expect(records.find((r) => r[5] === "<m0@göteborg.se>")?.[6]).toBe("'@evil");
  });

  it("answers an unknown connector with 404 and a reversed range with 400, before any file", async () => {
    const missing = await eventExport(as(viewer)("/api/connectors/999999/events/export"), idCtx(999999));
    expect(missing.status).toBe(404);
    const reversed = await eventExport(as(viewer)(`/api/connectors/${gbg}/events/export?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z`), idCtx(gbg));
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { detail: string }).detail).toBe("Invalid to: must be after from");
  });
});

describe("audit log and its export", () => {
  it("are for admins: a viewer and an operator get 403 for both", async () => {
    for (const who of [viewer, operator]) {
      const list = await auditList(as(who)("/api/audit"), undefined);
      expect(list.status).toBe(403);
      expect(((await list.json()) as { detail: string }).detail).toMatch(/^Only admins may read or export the audit log/);
      expect((await auditExport(as(who)("/api/audit/export"), undefined)).status).toBe(403);
    }
  });

  it("export the entries the list shows for the same filters", async () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 1, 12, m));
    await t.db.auditEntry.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        at: at(i),
        actor: i % 2 ? "Åsa Admin" : "system",
        action: i % 3 ? "connector.update" : "alert.wake",
        targetType: i % 3 ? "connector" : "alert",
        targetId: String(i),
        before: { name: "före" },
        after: { name: `efter ${i}`, formula: "=1+1" },
        note: i === 4 ? "@note" : null,
      })),
    });
    for (const search of ["actor=system", "action=connector.update&targetType=connector", "from=2026-11-01T12:03:00Z&to=2026-11-01T12:09:00Z", "actor=%25"]) {
      const expected = await allIds((s) => auditList(as(admin)(`/api/audit?${s}`), undefined), search, 2);
      const { records } = await csvOf(await auditExport(as(admin)(`/api/audit/export?${search}`), undefined));
      expect(records[0]).toEqual(["Entry id", "Time (UTC)", "Who", "Action", "Target type", "Target id", "Before", "After", "Note"]);
      expect(records.slice(1).map((r) => r[0]), search).toEqual(expected);
    }
    const { records } = await csvOf(await auditExport(as(admin)("/api/audit/export?from=2026-11-01T12:04:00Z&to=2026-11-01T12:05:00Z"), undefined));
    expect(records.slice(1)).toEqual([
      [expect.any(String), "2026-11-01T12:04:00.000Z", "system", "connector.update", "connector", "4", '{"name":"före"}', '{"name":"efter 4","formula":"=1+1"}', "'@note"],
    ]);
  });

  it("refuses reversed ranges, unknown target types and unreadable cursors with 400", async () => {
    for (const search of ["from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "targetType=bogus", "from=yesterday", "actor=" + "x".repeat(201)]) {
      expect((await auditList(as(admin)(`/api/audit?${search}`), undefined)).status, search).toBe(400);
      expect((await auditExport(as(admin)(`/api/audit/export?${search}`), undefined)).status, search).toBe(400);
    }
    const cursor = await auditList(as(admin)("/api/audit?cursor=nope"), undefined);
    expect(cursor.status).toBe(400);
    expect(((await cursor.json()) as { detail: string }).detail).toMatch(/^Invalid cursor: it is not a cursor this API handed out/);
  });
});

describe("the audit entry of an export", () => {
  it("records who, the kind, the filter and the rows written, when the stream ends", async () => {
    const before = (await exportAudits("connector-events")).length;
    const { records } = await csvOf(await eventExport(as(viewer)(`/api/connectors/${gbg}/events/export?status=DELIVERED`), idCtx(gbg)));
    const entries = await exportAudits("connector-events");
    expect(entries).toHaveLength(before + 1);
    const entry = entries.at(-1);
    expect(entry?.actor).toBe("Viktor Viewer");
    expect(entry?.after).toMatchObject({ rows: records.length - 1, complete: true, filter: { connector: gbg, status: "DELIVERED" } });
    expect(entry?.note).toBeNull();
  });
});

describe("concurrent exports per user", () => {
  it("answers 429 past the limit, and frees a slot when an export completes or is cancelled", async () => {
    process.env.EXPORT_MAX_CONCURRENT_PER_USER = "2";
    resetEnvCache();
    const start = () => alertExport(as(operator)("/api/alerts/export?status=all"), undefined);
    const first = await start();
    const second = await start();
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await start();
    expect(third.status).toBe(429);
    expect(third.headers.get("content-type")).toBe("application/problem+json");
    expect(((await third.json()) as { detail: string }).detail).toBe("You already have 2 exports running; wait until one finishes (or cancel it) and try again.");
    // Another user's exports are counted apart.
    const other = await alertExport(as(viewer)("/api/alerts/export"), undefined);
    expect(other.status).toBe(200);
    await other.arrayBuffer();

    // Completed: read to the end, and the slot is free for the next.
    await csvOf(first);
    const fourth = await start();
    expect(fourth.status).toBe(200);
    expect((await start()).status).toBe(429);

    // Cancelled by the client after the first chunk: the slot is freed and the cut noted.
    const reader = second.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    const fifth = await start();
    expect(fifth.status).toBe(200);
    await fourth.body!.cancel();
    await fifth.body!.cancel();
    const sixth = await start();
    expect(sixth.status).toBe(200);
    await sixth.arrayBuffer();

    const entries = (await exportAudits("alerts")).filter((e) => e.actor === "Olle Operator");
    expect(entries.map((e) => (e.after as { complete: boolean }).complete)).toEqual([true, false, false, false, true]);
    expect(entries.find((e) => !(e.after as { complete: boolean }).complete)?.note).toMatch(/^cut short: the client stopped the download after \d+ rows$/);
  });

  it("holds the limit across app instances: a slot is a Postgres advisory lock any instance sees", async () => {
    process.env.EXPORT_MAX_CONCURRENT_PER_USER = "1";
    resetEnvCache();
    const running = await alertExport(as(operator)("/api/alerts/export"), undefined);
    expect(running.status).toBe(200);
    const locks = await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`;
    expect(Number(locks[0]?.n)).toBeGreaterThanOrEqual(1);
    expect((await alertExport(as(operator)("/api/alerts/export"), undefined)).status).toBe(429);
    await running.body!.cancel();
    const next = await alertExport(as(operator)("/api/alerts/export"), undefined);
    expect(next.status).toBe(200);
    await next.arrayBuffer();
  });
});

describe("a large export", () => {
  const ROWS = 200_000;

  it(`streams ${ROWS.toLocaleString("en")} events at once, in bounded memory, holding no transaction while the client waits`, async () => {
    const big = (await createConnector(t.db, { name: "Bulk" })).id;
    await t.db.$executeRawUnsafe(
      `INSERT INTO "DeliveryEvent" ("connectorId", "occurredAt", "messageId", sender, recipient, "recipientDomain", status, "errorCode", "errorDetails", destination)
       SELECT $1, timestamptz '2026-11-01T00:00:00Z' + g * interval '1 second', '<bulk' || g || '@contoso.se>', 'avsändare@contoso.se',
              'user' || g || '@fabrikam.se', 'fabrikam.se', 'DEFERRED', '450 4.4.316',
              '450 4.4.316 Connection refused [Message=Socket error code 10061] åäö ' || g, 'mail.fabrikam.se'
       FROM generate_series(1, ${ROWS}) g`,
      big,
    );
    // A collection before each sample, so the figure is what the export holds, not garbage not yet collected.
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    const base = process.memoryUsage();
    const started = performance.now();
    const res = await eventExport(as(admin)(`/api/connectors/${big}/events/export`), idCtx(big));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstByteMs = performance.now() - started;
    expect(first.done).toBe(false);

    // While the client holds off, nothing of the export's sits in a transaction (ingest is never blocked).
    const open = await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
    expect(Number(open[0]?.n)).toBe(0);
    // Ingest goes on meanwhile; an event older than every row still to come is in the file, as the
    // pages are read as the client asks for them, each its own statement, not one long snapshot.
    await t.db.deliveryEvent.create({ data: { connectorId: big, occurredAt: new Date("2026-10-01T00:00:00Z"), messageId: "<late@contoso.se>", status: "DELIVERED" } });

    let bytes = first.value?.byteLength ?? 0;
    let lines = 0;
    const SAMPLE_EVERY = 20_000;
    let nextSample = SAMPLE_EVERY;
    let peakHeap = 0;
    let peakRss = 0;
    let tail = "";
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      const text = tail + decoder.decode(value, { stream: true });
      const parts = text.split("\r\n");
      tail = parts.pop() ?? "";
      lines += parts.length;
      if (lines >= nextSample) {
        nextSample += SAMPLE_EVERY;
        gc();
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed - base.heapUsed);
        peakRss = Math.max(peakRss, m.rss - base.rss);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const mb = (n: number) => (n / 1_048_576).toFixed(1);
    console.log(
      `[export] ${ROWS} rows, ${mb(bytes)} MB in ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds)} rows/s), first byte ${firstByteMs.toFixed(0)} ms, ` +
        `heap held after collection at most ${mb(peakHeap)} MB more than before, RSS at most ${mb(peakRss)} MB more`,
    );
    expect(lines).toBe(ROWS + 1);
    expect(tail).toBe("");
    expect(firstByteMs).toBeLessThan(2000);
    // The file is ~43 MB; holding it (as strings, twice the bytes) would keep the heap far past this.
    expect(bytes).toBeGreaterThan(35 * 1_048_576);
    expect(peakHeap).toBeLessThan(16 * 1_048_576);
  }, 300_000);
});
