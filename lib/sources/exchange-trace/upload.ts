import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { Db } from "@/lib/db/client";
import { mediaTypeOf } from "@/lib/http/body";
import { AppError, badRequest } from "@/lib/http/errors";
import { importTrace } from "@/lib/sources/exchange-trace/import-service";
import type { TraceImportSummary } from "@/lib/sources/exchange-trace/schemas";

// The upload of POST /api/sources/trace-import: multipart/form-data with one file in the field
// "file", streamed through busboy into the importer as it arrives, never held whole by us.
// The bound is the web server's: Next's proxy buffers a request body up to 10 MB before a route
// reads it (proxyClientMaxBodySize) and cuts longer ones short, so the upload takes at most that
// much and says so; a larger export goes through npm run import:trace, which streams any size.

/** The whole body, multipart framing included: Next's default proxy body limit. */
export const MAX_TRACE_UPLOAD_BYTES = 10 * 1024 * 1024;
const TOO_LARGE = "upload at most 10 MB here; import a larger export with npm run import:trace -- FILE, which reads files of any size";

export async function importTraceUpload(db: Db, req: Request): Promise<TraceImportSummary> {
  const contentType = req.headers.get("content-type");
  if (mediaTypeOf(contentType) !== "multipart/form-data") {
    throw new AppError({ code: "unsupported_media_type", status: 415, message: "Send the file as multipart/form-data in the field \"file\"." });
  }
  if (Number(req.headers.get("content-length") ?? 0) > MAX_TRACE_UPLOAD_BYTES) throw tooLarge();
  if (!req.body) throw badRequest('Send the file in the field "file".');
  return new Promise<TraceImportSummary>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType! }, limits: { files: 1, fields: 0, fileSize: MAX_TRACE_UPLOAD_BYTES } });
    } catch {
      reject(badRequest("The request body is not valid multipart/form-data."));
      return;
    }
    let work: Promise<TraceImportSummary> | null = null;
    let problem: AppError | null = null;
    let truncated = false;
    parser.on("file", (field, stream, info) => {
      if (field !== "file" || work) {
        problem ??= badRequest(field !== "file" ? `Unknown form field ${JSON.stringify(field.slice(0, 40))}: send the file in the field "file".` : "Send one file per upload.");
        stream.resume();
        return;
      }
      stream.on("limit", () => (truncated = true));
      work = importTrace(db, { name: info.filename || "upload", chunks: stream });
      // A refused or failed import leaves the rest of the upload unread: drain it so the parser ends.
      work.catch(() => stream.resume());
    });
    parser.on("field", (field) => (problem ??= badRequest(`Unknown form field ${JSON.stringify(field.slice(0, 40))}: send the file in the field "file".`)));
    parser.on("filesLimit", () => (problem ??= badRequest("Send one file per upload.")));
    parser.on("error", () => finish(badRequest("The upload was cut short or is not valid multipart/form-data; the rows before that point were imported.")));
    parser.on("close", () => finish(null));

    let finished = false;
    function finish(error: AppError | null) {
      if (finished) return;
      finished = true;
      const pending = work ?? Promise.resolve(null);
      pending.then(
        (summary) => {
          if (error ?? problem) reject(error ?? problem);
          else if (!summary) reject(badRequest('Send the file in the field "file".'));
          else if (truncated) reject(tooLarge());
          else resolve(summary);
        },
        reject,
      );
    }
    Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>).pipe(parser);
  });
}

function tooLarge(): AppError {
  return new AppError({ code: "payload_too_large", status: 413, message: `The upload is larger than 10 MB; ${TOO_LARGE}.` });
}
