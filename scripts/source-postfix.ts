/** npm run source:postfix -- FILE [--follow]: read a Postfix log into events, exactly once; --follow keeps reading as it grows and rotates */
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { withScriptDatabase } from "@/lib/db/script-database";
import { readPostfixLog, type PostfixReadSummary } from "@/lib/sources/postfix/follow";

// The read position is kept in the database with the events, so running this again (or after a
// crash) goes on where the last run committed. With --follow it reads every second until Ctrl-C.
const USAGE = "Usage: npm run source:postfix -- FILE [--follow] [--time-zone Europe/Stockholm] [--chunk-bytes N]";
const FOLLOW_POLL_MS = 1_000;

async function main(): Promise<void> {
  const { values, positionals } = parseArguments();
  if (positionals.length !== 1) throw new Error(USAGE);
  const file = positionals[0]!;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new Error(`${file} is not a readable file.\n${USAGE}`);

  await withScriptDatabase(async (client) => {
    const stop = new AbortController();
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
    const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: "{bar} {percentage}% | {value}/{total} bytes | {lines} lines, {events} events" }, cliProgress.Presets.shades_classic) : null;
    bar?.start(info.size, 0, { lines: 0, events: 0 });
    const total: PostfixReadSummary = { lines: 0, events: 0, duplicates: 0, skipped: {}, chunks: 0, rotations: 0, atEnd: false, warning: null };
    for (;;) {
      const summary = await readPostfixLog(client, file, {
        signal: stop.signal,
        timeZone: values["time-zone"],
        chunkBytes: values["chunk-bytes"] ? Math.max(1024, Number(values["chunk-bytes"])) : undefined,
        onChunk: (p) => {
          bar?.setTotal(p.size);
          bar?.update(p.offset, { lines: total.lines + p.lines, events: total.events + p.events });
        },
      });
      add(total, summary);
      if (!values.follow || stop.signal.aborted) break;
      if (summary.lines > 0 && !process.stderr.isTTY) console.error(`${new Date().toISOString()} read ${summary.lines} lines, ${summary.events} events`);
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    }
    bar?.stop();
    print(file, total);
  });
}

function parseArguments() {
  try {
    return parseArgs({ allowPositionals: true, options: { follow: { type: "boolean", default: false }, "time-zone": { type: "string" }, "chunk-bytes": { type: "string" } } });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function add(total: PostfixReadSummary, s: PostfixReadSummary): void {
  total.lines += s.lines;
  total.events += s.events;
  total.duplicates += s.duplicates;
  total.chunks += s.chunks;
  total.rotations += s.rotations;
  for (const [reason, n] of Object.entries(s.skipped)) total.skipped[reason] = (total.skipped[reason] ?? 0) + n;
  total.warning = s.warning ?? total.warning;
}

function print(file: string, s: PostfixReadSummary): void {
  console.log(`${file}: ${s.lines} lines read, ${s.events} events stored${s.duplicates ? `, ${s.duplicates} already stored` : ""}.`);
  const skipped = Object.entries(s.skipped).sort((a, b) => b[1] - a[1]);
  if (skipped.length > 0) {
    console.log("Lines skipped:");
    for (const [reason, n] of skipped) console.log(`  ${String(n).padStart(8)}  ${reason}`);
  }
  if (s.rotations > 0) console.log(`Followed ${s.rotations} rotation(s).`);
  if (s.warning) console.log(`Warning: ${s.warning}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
