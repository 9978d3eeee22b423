import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTraceDate } from "@/lib/sources/exchange-trace/dates";
import { detectEncoding } from "@/lib/text/encoding";
import { detectFormat } from "@/lib/sources/exchange-trace/formats";
import { MAX_RECORD_BYTES, readTraceItems, TraceRefusal, type TraceItem } from "@/lib/sources/exchange-trace/read";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/exchange-trace");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const HEADER = "date_time_utc,event_id,recipient_address,recipient_status,message_id";

describe("detectEncoding: from the bytes", () => {
  const text = "date_time_utc,event_id\r\n";
  it.each([
    ["UTF-8 without a BOM", Buffer.from(text), "utf-8", 0],
    ["UTF-8 with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "utf-8", 3],
    ["UTF-16LE with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "utf-16le", 2],
    ["UTF-16BE with a BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]), "utf-16be", 2],
    ["UTF-16LE without a BOM (its zero bytes)", Buffer.from(text, "utf16le"), "utf-16le", 0],
    ["UTF-16BE without a BOM", Buffer.from(text, "utf16le").swap16(), "utf-16be", 0],
  ])("%s", (_label, bytes, name, bomLength) => {
    expect(detectEncoding(bytes)).toMatchObject({ ok: true, name, bomLength });
  });

  it.each([
    ["empty", Buffer.alloc(0), "is empty"],
    ["UTF-32", Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from("d\0\0\0")]), "UTF-32"],
    ["binary", fixture("garbage.bin"), "is binary"],
    ["Windows-1252", Buffer.from("date_time_utc,recipient\r\n2026-11-27,\xe5sa@contoso.se\r\n", "latin1"), "Windows-1252"],
  ])("refuses %s with a message saying what it is", (_label, bytes, words) => {
    const found = detectEncoding(bytes);
    expect(found.ok).toBe(false);
    expect(!found.ok && found.message).toContain(words);
  });

  it("does not take a character cut at the end of the head for an error", () => {
    expect(detectEncoding(Buffer.from("date,subject\nÅsa")).ok).toBe(true);
    expect(detectEncoding(Buffer.from("date,subject\nÅsa").subarray(0, -1)).ok).toBe(true);
  });
});

describe("parseTraceDate: every way Exchange writes a UTC time", () => {
  it.each([
    ["2026-11-27T10:00:05.4560000Z", "2026-11-27T10:00:05.456Z"],
    ["2026-11-27T10:00:05Z", "2026-11-27T10:00:05.000Z"],
    ["2026-11-27T11:00:05+01:00", "2026-11-27T10:00:05.000Z"],
    ["2026-11-27 10:00:05", "2026-11-27T10:00:05.000Z"],
    ["11/27/2026 10:00:05 AM", "2026-11-27T10:00:05.000Z"],
    ["11/27/2026 12:15:00 AM", "2026-11-27T00:15:00.000Z"],
    ["11/27/2026 1:15:00 PM", "2026-11-27T13:15:00.000Z"],
    ["27.11.2026 10:00:05", "2026-11-27T10:00:05.000Z"],
    ["27/11/2026 10:00:05", "2026-11-27T10:00:05.000Z"],
  ])("%s → %s", (raw, iso) => {
    expect(parseTraceDate(raw)).toBe(iso);
  });

  it.each(["", "yesterday at noon", "13/27/2026 1:25:00 PM", "2026-02-31T10:00:00Z", "2026-11-27T25:00:00Z", "11/27/2026 13:00:00 PM"])("%j → null", (raw) => {
    expect(parseTraceDate(raw)).toBeNull();
  });
});

describe("detectFormat: from the header", () => {
  it.each([
    [["Organization", "MessageId", "Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size", "MessageTraceId"], "v2"],
    [["MessageTraceId", "Date", "Event", "Action", "Detail", "Data", "MessageId", "SenderAddress", "RecipientAddress"], "detail"],
    [HEADER.split(","), "report"],
    [["#Fields: date-time", "connector-id", "event-id", "message-id", "recipient-address", "recipient-status"], "msgtrk"],
  ])("%j is %s", (fields, format) => {
    expect(detectFormat(fields)).toMatchObject({ ok: true, format });
  });

  it("refuses another export naming the column sets it expected", () => {
    const found = detectFormat(["DisplayName", "PrimarySmtpAddress"]);
    expect(found.ok).toBe(false);
    expect(!found.ok && found.message).toMatch(/not a message trace export.*"DisplayName".*Get-MessageTraceV2.*Get-MessageTraceDetailV2.*admin center.*MSGTRK/);
  });

  it("names the summary report, which has no events", () => {
    const found = detectFormat(["origin_timestamp_utc", "sender_address", "recipient_status"]);
    expect(!found.ok && found.message).toContain("extended report");
  });

  it("refuses a #Fields: line without the tracking log's columns", () => {
    const found = detectFormat(["#Fields: date", "time", "c-ip"]);
    expect(!found.ok && found.message).toContain("event-id");
  });
});

describe("readTraceItems: streaming with bounded records", () => {
  it("reads each sample file's header and rows", async () => {
    const kinds = async (name: string) => (await collect(chunked(fixture(name), 7)))[0];
    await expect(kinds("report-utf16le.csv")).resolves.toMatchObject({ kind: "header", header: { format: "report" } });
    await expect(kinds("messagetrace-v2.csv")).resolves.toMatchObject({ kind: "header", header: { format: "v2" } });
    await expect(kinds("messagetrace-detail-v2.csv")).resolves.toMatchObject({ kind: "header", header: { format: "detail" } });
    await expect(kinds("MSGTRK2026112710-1.LOG")).resolves.toMatchObject({ kind: "header", header: { format: "msgtrk" } });
  });

  it("gives the same rows whatever the chunk size (UTF-16 characters and CSV quotes split across chunks)", async () => {
    const whole = await collect(chunked(fixture("report-utf16le.csv"), 1 << 20));
    for (const size of [1, 3, 64, 4097]) expect(await collect(chunked(fixture("report-utf16le.csv"), size))).toEqual(whole);
  });

  it("keeps a quoted field with commas, quotes and a line break whole", async () => {
    const items = await collect(chunked(fixture("messagetrace-detail-v2.csv"), 16));
    const rows = items.filter((i) => i.kind === "row");
    expect(rows).toHaveLength(4);
    expect(rows[1]!.kind === "row" && rows[1]!.fields[5]).toContain('String="Outbound to Contoso on-premises"/>\n<MEP');
  });

  it("cuts a line that never ends at MAX_RECORD_BYTES and goes on with the next rows", async () => {
    const text = `${HEADER}\n"${"x".repeat(MAX_RECORD_BYTES * 2)}\n2026-11-27T10:00:00Z,DEFER,bo@contoso.se,"x",<1@c>\n`;
    const items = await collect(chunked(Buffer.from(text), 65536));
    expect(items.some((i) => i.kind === "malformed")).toBe(true);
    expect(items.length).toBeLessThan(10);
  });

  it("marks bytes that do not decode as U+FFFD for the row to be skipped", async () => {
    const good = `2026-11-27T10:00:00Z,DEFER,bo@contoso.se,x,<1@c>\n`.repeat(200);
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n${good}`), Buffer.from("2026-11-27T10:00:00Z,DEFER,\xe5sa@contoso.se,x,<2@c>\n", "latin1")]);
    const rows = (await collect(chunked(bytes, 1000))).filter((i) => i.kind === "row");
    expect(rows.at(-1)!.kind === "row" && rows.at(-1)!.fields[2]).toContain("\uFFFD");
  });

  it.each([
    ["garbage.bin", "is binary"],
    ["other-export-mailboxes.csv", "is not a message trace export"],
  ])("refuses %s before a row is read", async (name, words) => {
    await expect(collect(chunked(fixture(name), 512))).rejects.toThrow(TraceRefusal);
    await expect(collect(chunked(fixture(name), 512))).rejects.toThrow(words);
  });

  it("refuses a file of comment lines only, and an empty one", async () => {
    await expect(collect(chunked(Buffer.from("#TYPE Something\n"), 10))).rejects.toThrow("has no header line");
    await expect(collect(chunked(Buffer.alloc(0), 10))).rejects.toThrow("is empty");
  });
});

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<TraceItem[]> {
  const items: TraceItem[] = [];
  for await (const item of readTraceItems(chunks)) items.push(item);
  return items;
}
