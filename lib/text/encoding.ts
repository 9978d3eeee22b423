// Pure: the text encoding of a file an admin gives us, read from its first bytes, and the file as
// text. Windows and Exchange write every one of these: PowerShell 5.1's `>` and Export-Csv
// UTF-16LE with a BOM (or ASCII), PowerShell 7 UTF-8 without a BOM, the admin center's reports
// often UTF-16LE, Exchange Server's tracking logs UTF-8 with a BOM. UTF-16 without a BOM is told
// apart by its zero bytes (a header or JSON starts with ASCII). UTF-32, binary files and legacy
// code pages are refused with a message that says so. The Exchange organisation import and the
// message-trace import both read files through here.

export type TextEncoding = { name: "utf-8" | "utf-16le" | "utf-16be"; label: string; bomLength: number };
export type DetectedEncoding = ({ ok: true } & TextEncoding) | { ok: false; message: string };

/** Bytes enough to tell the encoding; a shorter file is judged on what it has. */
export const ENCODING_SNIFF_BYTES = 4096;

/**
 * The encoding of a file from its first bytes. `ask` ends a refusal with what the admin should do
 * ("save the export as it was downloaded, or as UTF-8 or UTF-16").
 */
export function detectEncoding(head: Uint8Array, ask = "save it as UTF-8 or UTF-16"): DetectedEncoding {
  const [a, b, c, d] = head;
  if (head.length === 0) return { ok: false, message: "is empty" };
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    return { ok: false, message: `is UTF-32 text, which is not read here; ${ask}` };
  }
  if (a === 0xef && b === 0xbb && c === 0xbf) return checked(ask, { name: "utf-8", label: "UTF-8", bomLength: 3 }, head);
  if (a === 0xff && b === 0xfe) return checked(ask, { name: "utf-16le", label: "UTF-16LE", bomLength: 2 }, head);
  if (a === 0xfe && b === 0xff) return checked(ask, { name: "utf-16be", label: "UTF-16BE", bomLength: 2 }, head);
  const sample = head.subarray(0, 256 - (Math.min(head.length, 256) % 2));
  let zeroEven = 0;
  let zeroOdd = 0;
  sample.forEach((byte, i) => {
    if (byte !== 0) return;
    if (i % 2 === 0) zeroEven++;
    else zeroOdd++;
  });
  if (zeroOdd >= sample.length / 4 && zeroEven === 0) return checked(ask, { name: "utf-16le", label: "UTF-16LE", bomLength: 0 }, head);
  if (zeroEven >= sample.length / 4 && zeroOdd === 0) return checked(ask, { name: "utf-16be", label: "UTF-16BE", bomLength: 0 }, head);
  if (zeroEven + zeroOdd > 0) return { ok: false, message: "is binary, not a text export (it holds zero bytes where text has none)" };
  return checked(ask, { name: "utf-8", label: "UTF-8", bomLength: 0 }, head);
}

/**
 * The head must decode cleanly in the encoding found: a file in a legacy code page (Windows-1252,
 * Latin-1) fails here with a message that says so, rather than importing garbled names. Later
 * bytes that do not decode are the reader's: that row is skipped and counted.
 */
function checked(ask: string, encoding: TextEncoding, head: Uint8Array): DetectedEncoding {
  try {
    // `stream: true` so a character cut at the end of the head is not taken for an error.
    new TextDecoder(encoding.name, { fatal: true, ignoreBOM: true }).decode(head.subarray(encoding.bomLength), { stream: true });
  } catch {
    const hint = encoding.name === "utf-8" ? " (it looks like a legacy code page such as Windows-1252)" : "";
    return { ok: false, message: `is not valid ${encoding.label} text${hint}; ${ask}` };
  }
  return { ok: true, ...encoding };
}

export type Decoded = { ok: true; text: string } | { ok: false; message: string };

/** A whole file (small enough to hold) as text, or why it cannot be read. */
export function decodeText(bytes: Uint8Array, ask?: string): Decoded {
  const encoding = detectEncoding(bytes.subarray(0, ENCODING_SNIFF_BYTES), ask);
  if (!encoding.ok) return encoding;
  const body = bytes.subarray(encoding.bomLength);
  if (encoding.name !== "utf-8" && body.length % 2 !== 0) {
    return { ok: false, message: `is cut short: ${encoding.label} text has an even number of bytes` };
  }
  try {
    return { ok: true, text: new TextDecoder(encoding.name, { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    return { ok: false, message: `is not valid ${encoding.label} text${ask ? `; ${ask}` : ""}` };
  }
}
