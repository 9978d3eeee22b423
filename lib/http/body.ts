import type { z } from "zod";
import { AppError, badRequest } from "@/lib/http/errors";

// The one way route handlers read a request body. It is read up to a limit, so an oversized
// body (413) never sits in memory whole; bad JSON is a 400 that says why; the route's zod schema
// checks the result (a ZodError, which the route wrapper answers with a 400 per field).

/** Small JSON bodies (actions, settings): larger ones are refused before they are read whole. */
export const MAX_JSON_BYTES = 64 * 1024;

/** The body as text, at most `maxBytes`; `advice` tells the sender what to do about a 413. */
export async function readText(req: Request, maxBytes = MAX_JSON_BYTES, advice?: string): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await readBytes(req, maxBytes, advice));
}

/** A multipart/form-data body (415 otherwise), read up to `maxBytes` before it is parsed. */
export async function readFormData(req: Request, maxBytes: number, advice?: string): Promise<FormData> {
  const contentType = req.headers.get("content-type");
  if (mediaTypeOf(contentType) !== "multipart/form-data") {
    throw new AppError({ code: "unsupported_media_type", status: 415, message: "Send the body as multipart/form-data." });
  }
  const bytes = await readBytes(req, maxBytes, advice);
  try {
    return await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType! } }).formData();
  } catch {
    throw badRequest("The request body is not valid multipart/form-data.");
  }
}

/** An application/json body (415 otherwise), parsed and checked by `schema`. */
export async function readJson<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  if (mediaTypeOf(req.headers.get("content-type")) !== "application/json") {
    throw new AppError({ code: "unsupported_media_type", status: 415, message: "Send the body as application/json." });
  }
  return schema.parse(parseJson(await readText(req)));
}

/** A JSON body the client may leave out: an empty body is `{}`, whatever the media type. */
export async function readOptionalJson<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await readText(req);
  return schema.parse(text.trim() === "" ? {} : parseJson(text));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The media type of a Content-Type header, lower case and without parameters ("" when absent). */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function readBytes(req: Request, maxBytes: number, advice: string | undefined): Promise<Buffer> {
  const tooLarge = () =>
    new AppError({
      code: "payload_too_large",
      status: 413,
      message: `The request body is larger than ${formatBytes(maxBytes)}${advice ? `; ${advice}.` : "."}`,
    });
  return readLimited(req.body, req.headers.get("content-length"), maxBytes, tooLarge);
}

/** Reads at most `maxBytes` of a body, refusing more (with `tooLarge()`) without reading it all. */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<Buffer> {
  if (declaredLength && Number(declaredLength) > maxBytes) throw tooLarge();
  if (!body) return Buffer.alloc(0);
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
  return Buffer.concat(chunks);
}

function formatBytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return Number.isInteger(mb) ? `${mb} MB` : `${bytes / 1024} KB`;
}
