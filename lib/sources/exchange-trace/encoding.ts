// Pure: which text encoding a trace file is in, read from its first bytes. Exchange writes every
// one of these: the admin center's reports are often UTF-16LE with a BOM, Windows PowerShell 5.1's
// Export-Csv writes UTF-16LE or ASCII, PowerShell 7 UTF-8 without a BOM, and Exchange Server's
// tracking logs are UTF-8 with a BOM. UTF-16 without a BOM is told apart by its zero bytes
// (a header line is ASCII). Anything else is refused before a row is read.

export type TraceEncoding = { name: "utf-8" | "utf-16le" | "utf-16be"; label: string; bomLength: number };
export type DetectedEncoding = ({ ok: true } & TraceEncoding) | { ok: false; message: string };

/** Bytes enough to tell the encoding; a shorter file is judged on what it has. */
export const ENCODING_SNIFF_BYTES = 4096;

const ASK = "save the export as it was downloaded, or as UTF-8 or UTF-16";

export function detectEncoding(head: Uint8Array): DetectedEncoding {
  const [a, b, c, d] = head;
  if (head.length === 0) return { ok: false, message: "is empty" };
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    return { ok: false, message: `is UTF-32 text, which the import does not read; ${ASK}` };
  }
  if (a === 0xef && b === 0xbb && c === 0xbf) return checked({ name: "utf-8", label: "UTF-8", bomLength: 3 }, head);
  if (a === 0xff && b === 0xfe) return checked({ name: "utf-16le", label: "UTF-16LE", bomLength: 2 }, head);
  if (a === 0xfe && b === 0xff) return checked({ name: "utf-16be", label: "UTF-16BE", bomLength: 2 }, head);
  const sample = head.subarray(0, 256 - (Math.min(head.length, 256) % 2));
  let zeroEven = 0;
  let zeroOdd = 0;
  sample.forEach((byte, i) => {
    if (byte !== 0) return;
    if (i % 2 === 0) zeroEven++;
    else zeroOdd++;
  });
  if (zeroOdd >= sample.length / 4 && zeroEven === 0) return checked({ name: "utf-16le", label: "UTF-16LE", bomLength: 0 }, head);
  if (zeroEven >= sample.length / 4 && zeroOdd === 0) return checked({ name: "utf-16be", label: "UTF-16BE", bomLength: 0 }, head);
  if (zeroEven + zeroOdd > 0) return { ok: false, message: "is binary, not a text export (it holds zero bytes where text has none)" };
  return checked({ name: "utf-8", label: "UTF-8", bomLength: 0 }, head);
}

/**
 * The head must decode cleanly in the encoding found: a file in a legacy code page (Windows-1252,
 * Latin-1) fails here with a message that says so, rather than importing garbled names. Later
 * bytes that do not decode are the reader's: that row is skipped and counted.
 */
function checked(encoding: TraceEncoding, head: Uint8Array): DetectedEncoding {
  try {
    // `stream: true` so a character cut at the end of the head is not taken for an error.
    new TextDecoder(encoding.name, { fatal: true, ignoreBOM: true }).decode(head.subarray(encoding.bomLength), { stream: true });
  } catch {
    const hint = encoding.name === "utf-8" ? " (it looks like a legacy code page such as Windows-1252)" : "";
    return { ok: false, message: `is not valid ${encoding.label} text${hint}; ${ASK}` };
  }
  return { ok: true, ...encoding };
}
