/** npm run ingest -- FILE: load a JSON array or NDJSON file of any size through the ingest path */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { SingleBar, Presets } from "cli-progress";
import { withScriptDatabase } from "@/lib/db/script-database";
import type { Db } from "@/lib/db/client";
import { readEventFile } from "@/lib/events/file-reader";
import { ingestParsed } from "@/lib/events/ingest";
import type { IngestResult } from "@/lib/events/schemas";

const BATCH = 1000;
const SHOWN_REJECTIONS = 20;

// DATABASE_URL when set; otherwise the embedded database (the running app's server, if one runs).
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("Usage: npm run ingest -- FILE   (a JSON array of events or NDJSON, one event per line)");
  const size = (await stat(file)).size;
  const total = await withScriptDatabase((client) => ingestFile(client, file, size));
  printSummary(total);
  if (total.rejected.length > 0) process.exitCode = 2;
}

async function ingestFile(client: Db, file: string, size: number): Promise<IngestResult> {
  const bar = new SingleBar({ format: "{bar} {percentage}% | {events} events | {eta_formatted} left", hideCursor: true }, Presets.shades_classic);
  bar.start(size, 0, { events: 0 });

  const total: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
  const stream = createReadStream(file);
  let seen = 0;
  for await (const batch of readEventFile(file, stream, BATCH)) {
    const result = await ingestParsed(client, batch, { source: "file" });
    total.accepted += result.accepted;
    total.duplicates += result.duplicates;
    total.rejected.push(...result.rejected.map((r) => ({ ...r, index: r.index + batch.firstIndex })));
    seen += batch.events.length;
    bar.update(stream.bytesRead, { events: seen });
  }
  bar.update(size, { events: seen });
  bar.stop();
  return total;
}

function printSummary(r: IngestResult): void {
  console.log(`accepted ${r.accepted}, duplicates ${r.duplicates}, rejected ${r.rejected.length}`);
  for (const x of r.rejected.slice(0, SHOWN_REJECTIONS)) console.log(`  event ${x.index}: ${x.field} ${x.message}`);
  if (r.rejected.length > SHOWN_REJECTIONS) console.log(`  … and ${r.rejected.length - SHOWN_REJECTIONS} more`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
