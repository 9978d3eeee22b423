import "server-only";
import { auditJson, writeAudit } from "@/lib/audit/write";
import type { Actor } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { exportLocale, localizedColumns, type ColumnGroup, type ColumnSpec } from "@/lib/export/columns";
import { attachmentDisposition, csvChunks, exportFilename, type CsvColumn } from "@/lib/export/csv";
import { acquireExportSlot, type ExportSlot } from "@/lib/export/slots";
import { AppError } from "@/lib/http/errors";

// The one way a route answers with a CSV export: it checks who may read the rows and parses the
// filters, then hands them here. This takes one of the user's export slots (or answers 429),
// streams the document as the client reads it, and when the stream ends (done, failed or
// cancelled by the client) frees the slot and audits who exported what, with how many rows.

export type ExportKind = "alerts" | "connector-events" | "audit" | "trace";

export type ExportRequest<T> = Readonly<{
  actor: Actor;
  kind: ExportKind;
  /** The filters as the route parsed them, recorded in the audit entry. */
  filter: Readonly<Record<string, unknown>>;
  filename: string;
  columns: readonly CsvColumn<T>[];
  /** Pulled lazily, e.g. keysetRows(): nothing is read before the client asks for it. */
  rows: AsyncIterable<T>;
}>;

type Outcome = Readonly<{ complete: boolean; note?: string }>;

/** A streamed text/csv Response; throws a 429 AppError when the user's exports are all running. */
export async function streamExport<T>(request: ExportRequest<T>): Promise<Response> {
  const { EXPORT_MAX_CONCURRENT_PER_USER: max, DATABASE_URL } = env();
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set.");
  const slot = await acquireExportSlot(DATABASE_URL, request.actor.id, max);
  if (!slot) throw tooManyExports(max);
  return new Response(csvStream(request, slot), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachmentDisposition(request.filename),
      // no-transform keeps compression from holding chunks back; X-Accel-Buffering does the same for nginx.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff",
    },
  });
}

/**
 * streamExport for a route: the columns' headers in the language of the page the request came
 * from, and a file named `<name>-<UTC time>.csv`.
 */
export function streamPageExport<T, G extends ColumnGroup>(
  req: Request,
  args: Omit<ExportRequest<T>, "filename" | "columns"> & Readonly<{ name: string; group: G; columns: readonly ColumnSpec<T, G>[] }>,
): Promise<Response> {
  const { name, group, columns, ...rest } = args;
  return streamExport({ ...rest, filename: exportFilename(name, new Date()), columns: localizedColumns(exportLocale(req), group, columns) });
}

function csvStream<T>(request: ExportRequest<T>, slot: ExportSlot): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = csvChunks(request.columns, request.rows);
  let rows = 0;
  let finished = false;
  const finish = async (outcome: Outcome) => {
    if (finished) return;
    finished = true;
    await slot.release();
    await auditExport(request, rows, outcome);
  };
  // The default high-water mark of one chunk: the head goes out at once, and each later pull
  // (one page of rows at most) waits until the client has taken the chunk before.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (finished) return;
        if (next.done) {
          // Audited and the slot freed before the last byte: a client that sees the end may start the next export at once.
          await finish({ complete: true });
          controller.close();
          return;
        }
        rows += next.value.rows;
        controller.enqueue(encoder.encode(next.value.text));
      } catch (error) {
        if (finished) return;
        console.error(`[export ${request.kind}]`, error);
        await finish({ complete: false, note: `failed after ${rows} rows: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500) });
        // The response ends without its last chunk, so the client sees a broken download, never a short file.
        controller.error(error);
      }
    },
    async cancel() {
      await finish({ complete: false, note: `cut short: the client stopped the download after ${rows} rows` });
      // Ends the rows' generator (and so its paging) once its current page, if any, is read.
      await chunks.return(undefined).catch(() => undefined);
    },
  });
}

async function auditExport<T>(request: ExportRequest<T>, rows: number, outcome: Outcome): Promise<void> {
  try {
    await writeAudit(db(), request.actor, [
      {
        action: "export.csv",
        targetType: "export",
        targetId: request.kind,
        after: auditJson({ filter: request.filter, rows, complete: outcome.complete, filename: request.filename }),
        note: outcome.note,
      },
    ]);
  } catch (error) {
    // The download itself is done; a lost audit entry is logged loudly rather than thrown into a closed stream.
    console.error(`[export ${request.kind}] the audit entry could not be written`, error);
  }
}

function tooManyExports(max: number): AppError {
  return new AppError({
    code: "rate_limited",
    status: 429,
    message: `You already have ${max} export${max === 1 ? "" : "s"} running; wait until one finishes (or cancel it) and try again.`,
  });
}
