import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postfixLogChunks } from "@/lib/bench/postfix-log";
import { readLogChunk, START } from "@/lib/sources/log-file";
import { newPostfixState, PostfixCorrelator } from "@/lib/sources/postfix/correlate";
import { startYearClock } from "@/lib/sources/postfix/line";

// Memory stays flat with the log's size: the reader holds one chunk of lines and the correlation
// state (open queue ids only), never the file. Two sizes, four times apart, read the way the
// importer reads them (lib/sources/log-file.ts chunks into the correlator); the peak heap of the
// larger must not grow with the 40 MB between them. The 1 GB run belongs to npm run bench.

// Retained memory, not garbage: a collection before each sample (V8's gc, exposed at run time).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "mf-postfix-memory-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLog(file: string, messages: number): Promise<number> {
  const out = createWriteStream(file);
  for (const chunk of postfixLogChunks(messages, Date.now() - messages * 2_000 - 3_600_000)) if (!out.write(chunk)) await once(out, "drain");
  out.end();
  await once(out, "finish");
  return (await stat(file)).size;
}

/** Reads the whole file as the importer does, events made and dropped; returns the peak retained heap growth. */
async function peakHeapGrowth(file: string): Promise<{ peak: number; lines: number; events: number; openQueues: number }> {
  const correlator = new PostfixCorrelator(newPostfixState(startYearClock(new Date())), { route: () => 1, timeZone: "UTC" });
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let lines = 0;
  let events = 0;
  let position = START;
  let chunks = 0;
  for (;;) {
    const chunk = await readLogChunk(file, position, 256 * 1024);
    for (const line of chunk.lines) events += correlator.feed(line).length;
    lines += chunk.lines.length;
    position = chunk.next;
    if (++chunks % 10 === 0 || chunk.atEnd) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    if (chunk.atEnd) break;
  }
  return { peak, lines, events, openQueues: Object.keys(correlator.state().queues).length };
}

describe("reading a Postfix log", () => {
  it("keeps memory flat as the log grows", async () => {
    const small = path.join(dir, "small.log");
    const large = path.join(dir, "large.log");
    const [smallBytes, largeBytes] = [await writeLog(small, 15_000), await writeLog(large, 75_000)];
    expect(largeBytes - smallBytes).toBeGreaterThan(38e6);
    const a = await peakHeapGrowth(small);
    const b = await peakHeapGrowth(large);
    expect([a.lines, b.lines]).toEqual([75_000, 375_000]);
    expect([a.events, b.events]).toEqual([30_000, 150_000]);
    expect(b.openQueues).toBe(0);
    // Had the reader held the file (or its lines), the larger read would retain 38 MB or more besides.
    expect(b.peak - a.peak).toBeLessThan(5e6);
  }, 120_000);
});
