// Pure: the bytes of a file PowerShell wrote, as text. `>` in Windows PowerShell 5.1 writes
// UTF-16LE with a BOM, PowerShell 7 UTF-8 without one, and editors and Out-File add the rest:
// UTF-8 with a BOM, UTF-16 without a BOM (told apart by its zero bytes), UTF-16BE with a BOM.

export type Decoded = { ok: true; text: string } | { ok: false; message: string };

export function decodeText(bytes: Uint8Array): Decoded {
  const encoding = detectEncoding(bytes);
  const body = bytes.subarray(encoding.bomLength);
  if (encoding.name !== "utf-8" && body.length % 2 !== 0) {
    return { ok: false, message: `is cut short: ${encoding.label} text has an even number of bytes` };
  }
  try {
    return { ok: true, text: new TextDecoder(encoding.name, { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    return { ok: false, message: `is not valid ${encoding.label} text; save the PowerShell output as it was written (UTF-8 or UTF-16)` };
  }
}

type Encoding = { name: "utf-8" | "utf-16le" | "utf-16be"; label: string; bomLength: number };

function detectEncoding(bytes: Uint8Array): Encoding {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { name: "utf-8", label: "UTF-8", bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { name: "utf-16le", label: "UTF-16LE", bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { name: "utf-16be", label: "UTF-16BE", bomLength: 2 };
  // JSON starts with ASCII ("[", "{", a space), so UTF-16 without a BOM shows a zero byte in
  // the second (little-endian) or first (big-endian) position of the first code units.
  const head = bytes.subarray(0, 64);
  let zeroEven = 0;
  let zeroOdd = 0;
  head.forEach((byte, i) => {
    if (byte !== 0) return;
    if (i % 2 === 0) zeroEven++;
    else zeroOdd++;
  });
  if (zeroOdd > 0 && zeroOdd >= head.length / 4 && zeroEven === 0) return { name: "utf-16le", label: "UTF-16LE", bomLength: 0 };
  if (zeroEven > 0 && zeroEven >= head.length / 4 && zeroOdd === 0) return { name: "utf-16be", label: "UTF-16BE", bomLength: 0 };
  return { name: "utf-8", label: "UTF-8", bomLength: 0 };
}
