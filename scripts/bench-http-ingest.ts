/** npm run bench, HTTP ingest: rate, batch latency and where the server's memory goes while it ingests */
import { readdir, readFile } from "node:fs/promises";
import { benchEvents, type BenchConnector } from "@/lib/bench/events";

export type HttpIngestTarget = {
  baseUrl: string;
  /** An ingest token (POST /api/events) and the METRICS_TOKEN the server was started with. */
  token: string;
  metricsToken: string;
  serverPid: number;
};

const HOUR = 3600_000;
const BATCH = 1000;
const EVENTS = 50_000;
const SAMPLE_MS = 250;

/**
 * Posts the last hour before `now` (the bench's start) over HTTP, 1,000 events a request, and
 * reports the rate, the batch latency, and the server's memory: peak RSS (the kernel's high-water
 * mark of the server and its children) and, sampled from its own /api/metrics every 250 ms, the
 * V8 heap in use and reserved, and memory outside the heap (Buffers, pg's read buffers). A peak
 * RSS far above the heap says the allocator keeps freed memory; a heap far above what survives
 * a full GC says V8 lets garbage pile up (docs/memory.md).
 */
export async function httpIngestFigures(target: HttpIngestTarget, connectors: BenchConnector[], now: number) {
  const events = [...benchEvents({ total: EVENTS, from: now - HOUR + 1000, to: now - 1000, connectors, seed: 11, idPrefix: "http" })];
  const rssBefore = await rssOfTree(target.serverPid, "VmRSS");
  const sampler = sampleServerMemory(target);
  const times: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const t = performance.now();
      const res = await fetch(`${target.baseUrl}/api/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
        body: JSON.stringify(batch),
      });
      if (!res.ok) throw new Error(`HTTP ingest failed: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
  } finally {
    await sampler.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const peaks = sampler.peaks();
  return {
    httpIngestEvents: EVENTS,
    httpIngestRowsPerSec: Math.round(EVENTS / seconds),
    httpIngestBatchP50Ms: percentile(times, 0.5),
    httpIngestBatchP99Ms: percentile(times, 0.99),
    serverRssMbBeforeHttpIngest: rssBefore,
    serverPeakRssMbDuringHttpIngest: await rssOfTree(target.serverPid, "VmHWM"),
    serverPeakHeapUsedMbDuringHttpIngest: peaks.heapUsed,
    serverPeakHeapTotalMbDuringHttpIngest: peaks.heapTotal,
    serverPeakExternalMbDuringHttpIngest: peaks.external,
  };
}

const GAUGES = {
  heapUsed: "nodejs_heap_size_used_bytes",
  heapTotal: "nodejs_heap_size_total_bytes",
  external: "nodejs_external_memory_bytes",
} as const;

type Peaks = Record<keyof typeof GAUGES, number>;

/**
 * The server's own process metrics (prom-client's defaults on GET /api/metrics), highest seen.
 * A sample that fails (a keep-alive connection the busy server reset) is skipped; none at all is an error.
 */
function sampleServerMemory(target: HttpIngestTarget) {
  const peaks: Peaks = { heapUsed: 0, heapTotal: 0, external: 0 };
  let running = true;
  let samples = 0;
  let lastError: unknown;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(`${target.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${target.metricsToken}` } });
        if (!res.ok) throw new Error(`GET /api/metrics answered ${res.status} while sampling memory`);
        const text = await res.text();
        for (const key of Object.keys(GAUGES) as (keyof Peaks)[]) peaks[key] = Math.max(peaks[key], gaugeMb(text, GAUGES[key]));
        samples += 1;
      } catch (error) {
        lastError = error;
      }
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      if (samples === 0) throw new Error(`no memory sample from GET /api/metrics: ${String(lastError)}`);
    },
    peaks: () => peaks,
  };
}

/** A gauge without labels from Prometheus' text format, in MB. */
function gaugeMb(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`GET /api/metrics has no ${name}`);
  return Math.round(Number(line.slice(name.length + 1).split(" ")[0]) / 1024 / 1024);
}

/** The RSS now (VmRSS) or the highest reached (VmHWM) of the server process or any of its children, in MB. */
async function rssOfTree(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const pids = [pid];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) pids.push(Number(entry));
  }
  let peak = 0;
  for (const p of pids) {
    const status = await readFile(`/proc/${p}/status`, "utf8").catch(() => "");
    peak = Math.max(peak, Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0));
  }
  return Math.round(peak / 1024);
}

function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Number(sorted[Math.ceil(p * sorted.length) - 1]!.toFixed(1));
}
