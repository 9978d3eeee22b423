// The CSV every export writes, as spreadsheet programs read it: UTF-8 with a byte order mark (so
// Excel opens Swedish letters right), a header row, RFC 4180 quoting, CRLF line ends, times as
// ISO 8601 in UTC. Pure: no database, no streams, so every rule is unit-tested on its own.

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

/** One column: the header cell and how a row gives its value. */
export type CsvColumn<T> = Readonly<{ header: string; value: (row: T) => CsvValue }>;

export const BOM = "\uFEFF";
export const CRLF = "\r\n";

/** A chunk of the document: its text and how many data rows it holds (the header counts as none). */
export type CsvChunk = Readonly<{ text: string; rows: number }>;

/**
 * One field. Text that a spreadsheet would run as a formula (OWASP's list: a leading `=`, `+`,
 * `-`, `@`, tab or carriage return) gets a leading single quote, so it is shown, not evaluated;
 * numbers we produce ourselves cannot carry a formula and stay numbers. A field holding a comma,
 * quote or line break is quoted, its quotes doubled.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/** One record, ended by CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  let out = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    out += csvField(values[i]);
  }
  return out + CRLF;
}

/** The byte order mark and the header row: what an export sends before it reads anything. */
export function csvHead<T>(columns: readonly CsvColumn<T>[]): string {
  return BOM + csvRecord(columns.map((c) => c.header));
}

export function csvLine<T>(columns: readonly CsvColumn<T>[], row: T): string {
  return csvRecord(columns.map((c) => c.value(row)));
}

/**
 * The document as chunks of about `chunkChars` characters: first the head, then the rows. Rows
 * are pulled from `rows` only as the consumer asks for the next chunk, so a slow reader slows the
 * queries behind `rows` instead of filling memory.
 */
export async function* csvChunks<T>(
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T>,
  chunkChars = 64 * 1024,
): AsyncGenerator<CsvChunk, void, undefined> {
  yield { text: csvHead(columns), rows: 0 };
  let text = "";
  let count = 0;
  for await (const row of rows) {
    text += csvLine(columns, row);
    count++;
    if (text.length >= chunkChars) {
      yield { text, rows: count };
      text = "";
      count = 0;
    }
  }
  if (count > 0) yield { text, rows: count };
}

/**
 * Content-Disposition for a download (RFC 6266): an ASCII `filename` every client reads and a
 * UTF-8 `filename*` for the ones that read it, so `anslutare-göteborg.csv` keeps its letters.
 */
export function attachmentDisposition(filename: string): string {
  const clean = filename.replace(UNSAFE_FILENAME, "_").slice(0, 150) || "export.csv";
  const ascii = clean.normalize("NFD").replace(NON_ASCII, "").replace(/["\\]/g, "_") || "export.csv";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRFC5987(clean)}`;
}

/** The file name a Content-Disposition header gives (its UTF-8 `filename*` first), or null. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // Fall back to the plain name below.
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(header)?.[1] ?? null;
}

/** `<kind>-<UTC time>.csv`, e.g. `alerts-20261201T2026Z.csv`: sortable, no characters a file system refuses. */
export function exportFilename(kind: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-:]/g, "");
  return `${kind}-${stamp}Z.csv`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;
// Path separators, control characters and the characters Windows refuses in file names.
const UNSAFE_FILENAME = /[\u0000-\u001f\u007f/\\:*?"<>|;]/g;
const NON_ASCII = /[^\u0020-\u007e]/g;

function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
