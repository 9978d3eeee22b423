/** npm run import:trace -- FILE [FILE…]: import Exchange message trace exports and tracking logs */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import type { Db } from "@/lib/db/client";
import { withScriptDatabase } from "@/lib/db/script-database";
import { AppError } from "@/lib/http/errors";
import { FORMAT_LABEL } from "@/lib/sources/exchange-trace/formats";
import { importTrace } from "@/lib/sources/exchange-trace/import-service";
import type { TraceImportSummary } from "@/lib/sources/exchange-trace/schemas";
import { SKIP_REASONS, type SkipReason } from "@/lib/sources/exchange-trace/skip-reasons";

// Each file streams through the one ingest path in batches (docs/trace-import.md), with a progress
// bar by bytes, and a summary: rows read, events made, duplicates, skipped by reason. A refused
// file (another export, binary, an encoding that cannot be read) is named with why and changes
// nothing; the other files are still imported. Exit codes: 0 all imported, 1 a file was refused
// or could not be read, 2 usage.
const USAGE = "Usage: npm run import:trace -- FILE [FILE…]   (Get-MessageTraceV2 or Get-MessageTraceDetailV2 | Export-Csv, the admin center's message trace report, MSGTRK*.log)";

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.some((f) => f.startsWith("-"))) {
    console.error(USAGE);
    return 2;
  }
  return withScriptDatabase(async (client) => {
    let refused = 0;
    for (const file of files) {
      try {
        printSummary(await importFile(client, file));
      } catch (error) {
        if (error instanceof AppError) console.error(error.message);
        else if (isMissing(error)) console.error(`Cannot read ${file}: no such file`);
        else throw error;
        refused++;
      }
    }
    return refused > 0 ? 1 : 0;
  });
}

async function importFile(client: Db, file: string): Promise<TraceImportSummary> {
  const size = (await stat(file)).size;
  const bar = new SingleBar({ format: `${path.basename(file)} {bar} {percentage}% | {rows} rows, {events} events | {eta_formatted} left`, hideCursor: true }, Presets.shades_classic);
  bar.start(size, 0, { rows: 0, events: 0 });
  try {
    return await importTrace(client, { name: path.basename(file), chunks: createReadStream(file) }, {
      onProgress: (p) => bar.update(p.bytesRead, { rows: p.rowsRead, events: p.eventsMade }),
    });
  } finally {
    bar.stop();
  }
}

function printSummary(s: TraceImportSummary): void {
  const skipped = Object.values(s.skipped).reduce<number>((a, b) => a + (b ?? 0), 0);
  console.log(`${s.file}: ${FORMAT_LABEL[s.format]} (source ${s.source})`);
  console.log(`  rows read ${s.rowsRead}, events made ${s.eventsMade}, duplicates ${s.duplicates}, skipped ${skipped}`);
  for (const [reason, count] of Object.entries(s.skipped)) console.log(`    ${count} × ${SKIP_REASONS[reason as SkipReason]}`);
  if (s.lastLineAt) console.log(`  latest row ${s.lastLineAt}`);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
