import type { AppError } from "@/lib/http/errors";

// Pure: request bodies are read up to a limit, so an oversized body never sits in memory whole.
/** Reads at most `maxBytes` of a body, refusing more (with `tooLarge()`) without reading it all. */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<string> {
  if (declaredLength && Number(declaredLength) > maxBytes) throw tooLarge();
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}
