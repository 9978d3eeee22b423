import { readFormData } from "@/lib/http/body";
import { badRequest } from "@/lib/http/errors";
import type { ExchangeFile } from "@/lib/organisation/exchange/read";

// The upload of POST /api/organisation/import: multipart/form-data with the files in the field
// "files". The body is bounded as a whole (413) before it is parsed; each file's own limit and
// the number of files are the reader's (lib/organisation/exchange/read.ts).

/** 10 files of at most 5 MB each, but no more than 20 MB at once. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export async function readImportUpload(req: Request): Promise<ExchangeFile[]> {
  const form = await readFormData(req, MAX_UPLOAD_BYTES, "upload at most 20 MB at once, 5 MB per file");
  const files: ExchangeFile[] = [];
  for (const [field, value] of form.entries()) {
    if (field !== "files") throw badRequest(`Unknown form field ${JSON.stringify(field.slice(0, 40))}: send the files in the field "files".`);
    if (typeof value === "string") throw badRequest('Send each file in the field "files" as a file, not as text.');
    files.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return files;
}
