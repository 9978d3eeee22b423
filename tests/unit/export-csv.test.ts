import { describe, expect, it } from "vitest";
import {
  attachmentDisposition,
  BOM,
  csvChunks,
  csvField,
  csvHead,
  csvLine,
  csvRecord,
  exportFilename,
  filenameFromDisposition,
  type CsvColumn,
} from "@/lib/export/csv";
import { keysetRows } from "@/lib/export/paging";

type Row = { id: number; name: string | null; at: Date | null };
const columns: CsvColumn<Row>[] = [
  { header: "Id", value: (r) => r.id },
  { header: "Namn", value: (r) => r.name },
  { header: "Tid (UTC)", value: (r) => r.at },
];

async function* fromArray<T>(rows: readonly T[]): AsyncGenerator<T> {
  yield* rows;
}

async function documentOf<T>(cols: readonly CsvColumn<T>[], rows: readonly T[], chunkChars?: number): Promise<{ text: string; rows: number; chunks: number }> {
  let text = "";
  let count = 0;
  let chunks = 0;
  for await (const chunk of csvChunks(cols, fromArray(rows), chunkChars)) {
    text += chunk.text;
    count += chunk.rows;
    chunks++;
  }
  return { text, rows: count, chunks };
}

describe("csv fields", () => {
  it("leaves plain text alone and quotes commas, quotes, CR and LF (RFC 4180), doubling quotes", () => {
    expect(csvField("plain text")).toBe("plain text");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("line one\r\nline two")).toBe('"line one\r\nline two"');
    expect(csvField("ends\r")).toBe('"ends\r"');
    expect(csvField('"')).toBe('""""');
    expect(csvField("")).toBe("");
  });

  it("keeps Swedish and other non-ASCII letters as they are", () => {
    expect(csvField("Göteborg Ålesund Äppelträd")).toBe("Göteborg Ålesund Äppelträd");
    expect(csvField("smörgåsbord, räksmörgås")).toBe('"smörgåsbord, räksmörgås"');
    expect(csvField("日本語 😀")).toBe("日本語 😀");
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+46 8 123 45", "'+46 8 123 45"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=cmd", "'\t=cmd"],
    ["\r=cmd", "\"'\r=cmd\""],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["-", "'-"],
    ["@contoso.se", "'@contoso.se"],
  ])("neutralises the formula prefix of %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("does not touch those characters later in a value", () => {
    expect(csvField("user@contoso.se")).toBe("user@contoso.se");
    expect(csvField("a=b+c-d")).toBe("a=b+c-d");
    expect(csvField(" =1")).toBe(" =1");
  });

  it("writes null and undefined as empty, numbers as numbers (a negative one is no formula), bigints and booleans as text", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField(-3.5)).toBe("-3.5");
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField(9007199254740993n)).toBe("9007199254740993");
    expect(csvField(true)).toBe("true");
    expect(csvField(false)).toBe("false");
  });

  it("writes dates as ISO 8601 in UTC whatever the process's zone, an invalid date as empty", () => {
    expect(csvField(new Date(Date.UTC(2026, 11, 1, 20, 5, 9, 7)))).toBe("2026-12-01T20:05:09.007Z");
    expect(csvField(new Date("2026-06-01T02:00:00+02:00"))).toBe("2026-06-01T00:00:00.000Z");
    expect(csvField(new Date("not a date"))).toBe("");
  });
});

describe("csv records and documents", () => {
  it("ends every record with CRLF and separates fields with commas", () => {
    expect(csvRecord(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
    expect(csvRecord([])).toBe("\r\n");
  });

  it("starts with a UTF-8 byte order mark and the header row, neutralised and quoted like any field", () => {
    expect(BOM).toBe("\uFEFF");
    expect(csvHead(columns)).toBe("\uFEFFId,Namn,Tid (UTC)\r\n");
    expect(csvHead([{ header: "=x", value: () => null }, { header: "a,b", value: () => null }])).toBe("\uFEFF'=x,\"a,b\"\r\n");
    expect(new TextEncoder().encode(csvHead(columns)).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it("writes one line per row in column order", () => {
    expect(csvLine(columns, { id: 7, name: "Växjö", at: new Date("2026-01-02T03:04:05Z") })).toBe("7,Växjö,2026-01-02T03:04:05.000Z\r\n");
  });

  it("streams the head, then rows in chunks, counting data rows only", async () => {
    const rows = Array.from({ length: 1000 }, (_, i): Row => ({ id: i, name: i % 2 ? "Malmö" : null, at: null }));
    const doc = await documentOf(columns, rows, 1024);
    expect(doc.rows).toBe(1000);
    expect(doc.chunks).toBeGreaterThan(5);
    const lines = doc.text.split("\r\n");
    expect(lines[0]).toBe("\uFEFFId,Namn,Tid (UTC)");
    expect(lines[1]).toBe("0,,");
    expect(lines[2]).toBe("1,Malmö,");
    expect(lines).toHaveLength(1002);
    expect(lines.at(-1)).toBe("");
  });

  it("writes the head alone for no rows", async () => {
    await expect(documentOf(columns, [])).resolves.toEqual({ text: "\uFEFFId,Namn,Tid (UTC)\r\n", rows: 0, chunks: 1 });
  });

  it("pulls rows only as chunks are asked for", async () => {
    let pulled = 0;
    async function* counting(): AsyncGenerator<Row> {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield { id: i, name: "x", at: null };
      }
    }
    const chunks = csvChunks(columns, counting(), 100);
    await chunks.next();
    expect(pulled).toBe(0);
    await chunks.next();
    expect(pulled).toBeLessThan(30);
    await chunks.return(undefined);
  });

  it("round-trips through a CSV reader: values with quotes, commas and line breaks come back as they were", async () => {
    const { parse } = await import("csv-parse/sync");
    const rows: Row[] = [
      { id: 1, name: 'He said "hej", then\r\nleft', at: null },
      { id: 2, name: "Åre, Öland", at: new Date("2026-12-01T00:00:00Z") },
    ];
    const doc = await documentOf(columns, rows);
    const records = parse(doc.text, { bom: true }) as string[][];
    expect(records).toEqual([
      ["Id", "Namn", "Tid (UTC)"],
      ["1", 'He said "hej", then\r\nleft', ""],
      ["2", "Åre, Öland", "2026-12-01T00:00:00.000Z"],
    ]);
  });
});

describe("download names", () => {
  it("gives an ASCII filename and a UTF-8 filename* (RFC 6266), without path or quote characters", () => {
    expect(attachmentDisposition("alerts-20261201T2026Z.csv")).toBe(`attachment; filename="alerts-20261201T2026Z.csv"; filename*=UTF-8''alerts-20261201T2026Z.csv`);
    expect(attachmentDisposition("händelser-göteborg.csv")).toBe(`attachment; filename="handelser-goteborg.csv"; filename*=UTF-8''h%C3%A4ndelser-g%C3%B6teborg.csv`);
    const hostile = attachmentDisposition('../"evil"\r\nSet-Cookie: x.csv');
    expect(hostile).not.toMatch(/[\r\n]/);
    expect(hostile).toContain('filename="..__evil___Set-Cookie_ x.csv"');
  });

  it("reads the name back from the header, the UTF-8 one first", () => {
    expect(filenameFromDisposition(attachmentDisposition("händelser-göteborg.csv"))).toBe("händelser-göteborg.csv");
    expect(filenameFromDisposition('attachment; filename="plain.csv"')).toBe("plain.csv");
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A; filename=\"fallback.csv\"")).toBe("fallback.csv");
    expect(filenameFromDisposition("inline")).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });

  it("names a file by kind and UTC minute", () => {
    expect(exportFilename("alerts", new Date("2026-12-01T20:26:59.999Z"))).toBe("alerts-20261201T2026Z.csv");
  });
});

describe("keyset paging", () => {
  it("reads page after page from the last key until a short page", async () => {
    const data = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
    const calls: (number | undefined)[] = [];
    const fetchPage = async (after: number | undefined, limit: number) => {
      calls.push(after);
      return data.filter((r) => after === undefined || r.id > after).slice(0, limit);
    };
    const seen: number[] = [];
    for await (const row of keysetRows(fetchPage, (r) => r.id, 3)) seen.push(row.id);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(calls).toEqual([undefined, 3, 6]);
  });

  it("asks once more after an exactly full last page and stops on the empty one", async () => {
    const calls: (number | undefined)[] = [];
    const fetchPage = async (after: number | undefined) => {
      calls.push(after);
      return after === undefined ? [{ id: 1 }, { id: 2 }] : [];
    };
    const seen: number[] = [];
    for await (const row of keysetRows(fetchPage, (r) => r.id, 2)) seen.push(row.id);
    expect(seen).toEqual([1, 2]);
    expect(calls).toEqual([undefined, 2]);
  });
});
