import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_BATCH_SIZE } from "@/lib/export/paging";
import { createSignedInUser, withCookie } from "@/tests/helpers/auth-session";
import { createConnector } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import * as exportRoute from "@/app/api/trace/export/route";
import * as traceRoute from "@/app/api/trace/route";

// A trace search as CSV through GET /api/trace/export as a viewer: every matching row, across
// several of the export's keyset pages, in the search's order, with the export's audit entry.
let t: TestDatabase;
let cookie: string;
const NOW = Date.now();
const ROWS = EXPORT_BATCH_SIZE * 2 + 7;

beforeAll(async () => {
  t = await createAppTestDatabase();
  cookie = (await createSignedInUser(t.db, "VIEWER", "Vera Viewer")).cookie;
  const c = await createConnector(t.db, { name: "Till Göteborg" });
  // Written directly: the export's paging is what is tested here, ingest has its own tests.
  await t.db.$executeRawUnsafe(
    `INSERT INTO "TraceMessage" ("connectorId", "messageId", recipient, "recipientDomain", sender, source, "firstAttemptAt", "lastAttemptAt", attempts, "lastStatus", "lastCode")
     SELECT $1::int, CASE WHEN i = 1 THEN '=HYPERLINK("http://evil.example")' ELSE '<m' || i || '@contoso.se>' END, 'r' || i || '@export.se', 'export.se',
            'sender@contoso.se', 'api', $2::timestamptz - (i / 3) * interval '1 second', $2::timestamptz, 1, 'DELIVERED', NULL
     FROM generate_series(1, $3::int) AS i`,
    c.id, new Date(NOW - 3_600_000).toISOString(), ROWS,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO "TraceMessage" ("connectorId", "messageId", recipient, "recipientDomain", sender, source, "firstAttemptAt", "lastAttemptAt", attempts, "lastStatus")
     VALUES ($1, '<other@x>', 'o@elsewhere.se', 'elsewhere.se', 'sender@contoso.se', 'api', $2::timestamptz, $2::timestamptz, 1, 'DELIVERED')`,
    c.id, new Date(NOW - 3_600_000).toISOString(),
  );
});

afterAll(async () => {
  await t.drop();
});

async function exportCsv(query: string, locale = "en"): Promise<{ status: number; type: string | null; text: string }> {
  const res = await exportRoute.GET(withCookie(`${cookie}; locale=${locale}`)(`http://localhost/api/trace/export${query}`), undefined);
  // Decoded keeping the BOM, which Response.text() would drop.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type"), text };
}

describe("trace export", () => {
  it("streams every row of the search, in its order, with a BOM, a header row, UTC times and formulas neutralised", async () => {
    const { status, type, text } = await exportCsv("?recipient=%40export.se");
    expect(status).toBe(200);
    expect(type).toContain("text/csv");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n").filter((l) => l !== "");
    expect(lines[0]).toBe("Trace id,First attempt (UTC),Last attempt (UTC),Message id,Sender,Recipient,State,Attempts,Last code,Connector,Source");
    const rows = lines.slice(1);
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => r.split(",")[0])).size).toBe(ROWS);
    expect(rows.some((r) => r.includes("elsewhere.se"))).toBe(false);
    expect(rows.find((r) => r.includes("r1@export.se"))).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(rows[0]).toMatch(/^\d+,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,/);

    // The same order as the API's pages.
    const res = await traceRoute.GET(withCookie(cookie)("http://localhost/api/trace?recipient=%40export.se&limit=200"), undefined);
    const first = ((await res.json()) as { items: { id: string }[] }).items.map((r) => r.id);
    expect(rows.slice(0, 200).map((r) => r.split(",")[0])).toEqual(first);
  });

  it("names its columns in the page's language", async () => {
    const { text } = await exportCsv("?recipient=%40elsewhere.se", "sv");
    expect(text.slice(1).split("\r\n")[0]).toBe("Spårnings-id,Första försök (UTC),Senaste försök (UTC),Meddelande-id,Avsändare,Mottagare,Läge,Försök,Senaste kod,Anslutning,Källa");
    expect(text).toContain("Till Göteborg");
  });

  it("is audited with who, the filter and the rows", async () => {
    const entry = await t.db.auditEntry.findFirstOrThrow({ where: { action: "export.csv", targetId: "trace" }, orderBy: { id: "asc" } });
    expect(entry.actor).toBe("Vera Viewer");
    expect(entry.after).toMatchObject({ rows: ROWS, complete: true, filter: { recipient: "@export.se" } });
  });

  it("refuses a bad search with a 400 before anything streams", async () => {
    const { status, text } = await exportCsv("?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z");
    expect(status).toBe(400);
    expect(JSON.parse(text.replace(/^\uFEFF/, ""))).toMatchObject({ issues: [{ field: "to" }] });
  });
});
