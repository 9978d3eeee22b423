import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/sources/trace-import/route";
import { AppError } from "@/lib/http/errors";
import { importTrace, type TraceImportOptions } from "@/lib/sources/exchange-trace/import-service";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { createConnector } from "@/tests/helpers/factories";
import { runScriptToEnd } from "@/tests/helpers/run-script";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The message trace import on real Postgres: each sample format, the same file twice, a later
// export that overlaps the first, the alerts and queues they make, files that are refused (and
// change nothing), the upload route, the command line, and memory that does not grow with the file.
let t: TestDatabase;
let dir: string;
let onPremId: number;
let partnerId: number;
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "exchange-trace");
const fixture = (name: string) => path.join(FIXTURES, name);
const NOW = new Date("2026-12-01T12:00:00Z");
const importFile = (file: string, options: TraceImportOptions = {}) =>
  importTrace(t.db, { name: path.basename(file), chunks: createReadStream(file) }, { now: NOW, ...options });

beforeAll(async () => {
  t = await createAppTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "trace-import-"));
  onPremId = (await createConnector(t.db, { name: "Outbound to Contoso on-premises", recipientDomains: ["contoso-nordic.se"] })).id;
  partnerId = (await createConnector(t.db, { name: "To Fabrikam", kind: "PARTNER", recipientDomains: ["fabrikam.example"] })).id;
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

const alertOf = (connectorId: number, errorCode: string) => t.db.alert.findFirstOrThrow({ where: { connectorId, errorCode } });
const messageOf = (messageId: string, recipient: string) => t.db.queuedMessage.findFirstOrThrow({ where: { messageId, recipient } });

describe("importing the admin center's report (UTF-16LE)", () => {
  it("makes an event of each connector-bound attempt and counts the rest by reason", async () => {
    const summary = await importFile(fixture("report-utf16le.csv"));
    expect(summary).toEqual({
      file: "report-utf16le.csv",
      format: "report",
      source: "exchange-trace",
      rowsRead: 10,
      eventsMade: 7,
      duplicates: 0,
      skipped: { "not-an-attempt": 2, "no-connector": 1, "unknown-connector": 1 },
      lastLineAt: "2026-11-27T10:45:00.000Z",
    });
    expect(await t.db.deliveryEvent.count({ where: { source: "exchange-trace" } })).toBe(7);
    const refused = await alertOf(onPremId, "4.4.316");
    expect(refused).toMatchObject({ status: "ACTIVE", queuedCount: 3, expiredCount: 1, latestDestination: "mail.contoso-nordic.se" });
    expect(await alertOf(partnerId, "4.4.317")).toMatchObject({ status: "ACTIVE", queuedCount: 1 });
    expect(await messageOf("<m5@contoso.se>", "per@contoso-nordic.se")).toMatchObject({ state: "EXPIRED" });
  });

  it("records the run in EventSource under the file's name and digest", async () => {
    const [source] = await t.db.eventSource.findMany({ where: { kind: "exchange-trace" } });
    expect(source).toMatchObject({ linesRead: 10n, eventsMade: 7n, skipped: { "not-an-attempt": 2, "no-connector": 1, "unknown-connector": 1 }, lastError: null });
    expect(source!.name).toMatch(/^report-utf16le\.csv \(sha256 [0-9a-f]{16}\)$/);
    expect(source!.lastLineAt?.toISOString()).toBe("2026-11-27T10:45:00.000Z");
  });

  it("imported again adds nothing", async () => {
    const before = await snapshotData(t.db);
    const again = await importFile(fixture("report-utf16le.csv"));
    expect(again).toMatchObject({ rowsRead: 10, eventsMade: 0, duplicates: 7 });
    expect(await snapshotData(t.db)).toEqual(before);
    expect(await t.db.eventSource.count()).toBe(1);
  });

  it("a later export that overlaps it adds only its new rows, and they move the alerts on", async () => {
    const later = await importFile(fixture("report-later-utf16le.csv"));
    expect(later).toMatchObject({ rowsRead: 5, eventsMade: 3, duplicates: 2, skipped: {} });
    expect(await t.db.deliveryEvent.count()).toBe(10);
    expect(await messageOf("<m1@contoso.se>", "bo@contoso-nordic.se")).toMatchObject({ state: "DELIVERED" });
    // The partner's only message was delivered: recovered and resolved.
    expect(await alertOf(partnerId, "4.4.317")).toMatchObject({ status: "RESOLVED", resolvedReason: "delivered" });
    // A delivery recovers the on-premises alert, but m2's two recipients are still queued.
    const refused = await alertOf(onPremId, "4.4.316");
    expect(refused.recoveredAt).not.toBeNull();
    expect(refused).toMatchObject({ status: "ACTIVE", queuedCount: 2, resolvedAt: null });
    expect(await t.db.eventSource.count()).toBe(2);
  });
});

describe("the other formats", () => {
  it("Get-MessageTraceV2: outcomes made, Pending left to the detail, a cloud mailbox's delivery left out", async () => {
    expect(await importFile(fixture("messagetrace-v2.csv"))).toMatchObject({
      format: "v2", rowsRead: 7, eventsMade: 2, duplicates: 0, skipped: { pending: 1, "not-an-attempt": 1, "no-connector": 1, "bad-date": 1, "mailbox-delivery": 1 },
    });
  });

  it("Get-MessageTraceDetailV2: each deferral with its code, then the delivery", async () => {
    expect(await importFile(fixture("messagetrace-detail-v2.csv"))).toMatchObject({ format: "detail", rowsRead: 4, eventsMade: 3, skipped: { "not-an-attempt": 1 } });
    expect(await messageOf("<p2@contoso.se>", "bo@contoso-nordic.se")).toMatchObject({ state: "DELIVERED", errorCode: "4.4.316" });
  });

  it("a tracking log: source exchange-tracking, Exchange Server's 441 4.4.1 with Winsock 10061 read as 4.4.316", async () => {
    expect(await importFile(fixture("MSGTRK2026112710-1.LOG"))).toMatchObject({
      format: "msgtrk", source: "exchange-tracking", rowsRead: 5, eventsMade: 3, skipped: { "not-an-attempt": 1, "no-connector": 1 },
    });
    const deferral = await t.db.deliveryEvent.findFirstOrThrow({ where: { source: "exchange-tracking", status: "DEFERRED" } });
    expect(deferral).toMatchObject({ errorCode: "4.4.316", smtpStatus: 450, connectorId: onPremId, destination: "legacy.contoso-nordic.se" });
    // The tracking log leaves client-hostname empty on a DEFER: the key keeps its place.
    expect(deferral.clientId).toBe("msgtrk::EX01:52001:bo@contoso-nordic.se:DEFER:2026-11-27T10:00:02.250Z");
  });

  it("a report with garbled, binary and cut lines: the good rows imported, the others counted", async () => {
    expect(await importFile(fixture("report-garbled.csv"))).toMatchObject({ rowsRead: 6, eventsMade: 2, skipped: { malformed: 3, "bad-date": 1 } });
  });
});

describe("files that are refused change nothing", () => {
  it.each([
    ["garbage.bin", "is binary"],
    ["other-export-mailboxes.csv", "is not a message trace export"],
  ])("%s: refused (400) with why, nothing stored, the refusal recorded", async (name, words) => {
    const before = await snapshotData(t.db);
    const error = await importFile(fixture(name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400 });
    expect((error as AppError).message).toContain(words);
    expect((error as AppError).message).toContain("Nothing was imported.");
    expect(await snapshotData(t.db)).toEqual(before);
    const source = await t.db.eventSource.findFirstOrThrow({ where: { name: { startsWith: name } } });
    expect(source.lastError).toContain(words);
  });

  it("a file in a legacy code page is refused, naming the encoding", async () => {
    const file = path.join(dir, "latin1.csv");
    const text = readFileSync(fixture("report-garbled.csv"), "utf8").split("\n").slice(0, 2).join("\n").replace("alice@", "åsa@");
    await writeAll(file, [Buffer.from(text, "latin1")]);
    await expect(importFile(file)).rejects.toThrow(/not valid UTF-8 text \(it looks like a legacy code page/);
  });
});

describe("POST /api/sources/trace-import", () => {
  const post = (cookie: string, form: FormData) => uploadRoute(new Request("http://localhost/api/sources/trace-import", { method: "POST", headers: { cookie }, body: form }), undefined);
  const formOf = (name: string, bytes: Buffer) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)]), name);
    return form;
  };

  it("imports an admin's upload and answers with the summary; a second upload adds nothing", async () => {
    const { cookie } = await createSignedInUser(t.db, "ADMIN");
    const bytes = readFileSync(fixture("report-later-utf16le.csv"));
    const res = await post(cookie, formOf("report-later-utf16le.csv", bytes));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ file: "report-later-utf16le.csv", format: "report", rowsRead: 5, eventsMade: 0, duplicates: 5 });
  });

  it("refuses operators (403), another export (400) and a second file (400) with problem+json", async () => {
    const operator = await createSignedInUser(t.db, "OPERATOR");
    expect((await post(operator.cookie, formOf("x.csv", Buffer.from("a")))).status).toBe(403);
    const { cookie } = await createSignedInUser(t.db, "ADMIN");
    const other = await post(cookie, formOf("mailboxes.csv", readFileSync(fixture("other-export-mailboxes.csv"))));
    expect(other.status).toBe(400);
    expect((await other.json()).detail).toContain("mailboxes.csv is not a message trace export");
    const two = formOf("a.csv", readFileSync(fixture("messagetrace-v2.csv")));
    two.append("file", new Blob([new Uint8Array(readFileSync(fixture("messagetrace-v2.csv")))]), "b.csv");
    const twice = await post(cookie, two);
    expect(twice.status).toBe(400);
    expect((await twice.json()).detail).toContain("one file per upload");
  });

  it("refuses a body over 10 MB before reading it (413)", async () => {
    const { cookie } = await createSignedInUser(t.db, "ADMIN");
    const res = await uploadRoute(
      new Request("http://localhost/api/sources/trace-import", { method: "POST", headers: { cookie, "content-type": "multipart/form-data; boundary=x", "content-length": String(11 * 1024 * 1024) }, body: "--x--" }),
      undefined,
    );
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toContain("npm run import:trace");
  });
});

describe("npm run import:trace", () => {
  it("prints each file's summary and exits 1 when a file was refused", async () => {
    const { code, stdout, stderr } = await runScriptToEnd("scripts/import-trace.ts", [fixture("MSGTRK2026112710-1.LOG"), fixture("garbage.bin")], { ...process.env, DATABASE_URL: t.url });
    expect(code).toBe(1);
    expect(stdout).toContain("MSGTRK2026112710-1.LOG: Exchange Server message tracking log (source exchange-tracking)");
    expect(stdout).toContain("rows read 5, events made 0, duplicates 3, skipped 2");
    expect(stderr).toContain("garbage.bin is binary");
  });
});

describe("memory stays bounded", () => {
  it("reading a 200 MB file takes no more heap than a 50 MB one", { timeout: 300_000 }, async () => {
    const small = await measure(path.join(dir, "small.csv"), 50);
    const large = await measure(path.join(dir, "large.csv"), 200);
    console.log(`trace import memory: 50 MB → peak heap +${mb(small.peak)} MB (${small.rowsPerSec} rows/s); 200 MB → +${mb(large.peak)} MB (${large.rowsPerSec} rows/s)`);
    expect(large.rows).toBeGreaterThan(small.rows * 3.5);
    expect(large.summary.eventsMade).toBeGreaterThan(0);
    // Four times the file, not four times the memory: a bounded reader stays flat.
    expect(large.peak).toBeLessThan(small.peak + 48 * 1024 * 1024);
    expect(large.peak).toBeLessThan(128 * 1024 * 1024);
  });
});

/** Writes a report of about `megabytes`, mostly RECEIVE rows (skipped without a query), a deferral every 5,000 rows. */
async function measure(file: string, megabytes: number) {
  const header = readFileSync(fixture("report-garbled.csv"), "utf8").split("\n")[0]!;
  const columns = header.split(",");
  const start = Date.UTC(2026, 10, 20);
  const row = (i: number) => {
    const values: Record<string, string> = {
      date_time_utc: new Date(start + i * 1000).toISOString(), event_id: i % 5000 === 0 ? "DEFER" : "RECEIVE", connector_id: "Outbound to Contoso on-premises",
      message_id: `<big${i}@contoso.se>`, network_message_id: `big-${megabytes}-${i}`, recipient_address: `user${i % 977}@contoso-nordic.se`,
      recipient_status: "[{LED=450 4.4.316 Connection refused [Message=Socket error code 10061]};{MSG=}]", sender_address: "alice@contoso.se",
      message_subject: `A subject long enough to look real, number ${i}`, client_hostname: "AM6PR01MB1234.eurprd01.prod.outlook.com", tenant_id: "9f3c2a1e-5b7d-4c8e-a1f0-2d6b8e4c7a90",
    };
    return columns.map((c) => `"${values[c] ?? ""}"`).join(",");
  };
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  let rows = 0;
  for (let written = 0; written < megabytes * 1024 * 1024; rows++) {
    const line = `${row(rows)}\n`;
    written += line.length;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");

  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().heapUsed - base));
  const timer = setInterval(sample, 20);
  const began = performance.now();
  try {
    const summary = await importFile(file, { onProgress: sample });
    sample();
    return { summary, rows: summary.rowsRead, peak, rowsPerSec: Math.round(summary.rowsRead / ((performance.now() - began) / 1000)) };
  } finally {
    clearInterval(timer);
    await rm(file, { force: true });
  }
}

async function writeAll(file: string, parts: Buffer[]) {
  const out = createWriteStream(file);
  for (const part of parts) out.write(part);
  out.end();
  await once(out, "finish");
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
