/** The export part of npm run bench: time to first byte, rows per second and the server's RSS while a large CSV export streams */
import { readFile } from "node:fs/promises";
import type { Db } from "@/lib/db/client";

// One export over HTTP, as the Export CSV button fetches it: the events of the connector with the
// most events (about a twelfth of BENCH_EVENTS), read as fast as this process can take them. The
// server's resident memory is sampled every 100 ms while it streams, so the figure is what the
// export costs on top of the server's RSS before it started.

export async function exportFigures(db: Db, baseUrl: string, cookie: string, serverPid: number): Promise<Record<string, unknown>> {
  const [biggest] = await db.$queryRaw<{ connectorId: number; events: bigint }[]>`
    SELECT "connectorId", count(*) AS events FROM "DeliveryEvent" GROUP BY 1 ORDER BY 2 DESC LIMIT 1`;
  if (!biggest) return {};
  const rssBefore = await rssMb(serverPid);
  let peakRss = rssBefore;
  const sampler = setInterval(() => void rssMb(serverPid).then((mb) => { peakRss = Math.max(peakRss, mb); }), 100);
  try {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/api/connectors/${biggest.connectorId}/events/export`, { headers: { cookie } });
    if (!res.ok || !res.body) throw new Error(`the export answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    let firstByteMs: number | null = null;
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body) {
      firstByteMs ??= performance.now() - started;
      bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 0x0a) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = lines - 1;
    if (rows !== Number(biggest.events)) throw new Error(`the export wrote ${rows} rows of ${biggest.events}`);
    return {
      exportRows: rows,
      exportMb: round(bytes / 1_048_576, 1),
      exportFirstByteMs: round(firstByteMs ?? 0),
      exportRowsPerSec: round(rows / seconds),
      serverRssMbBeforeExport: rssBefore,
      serverPeakRssMbDuringExport: peakRss,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The resident memory (VmRSS) of the server process, in MB (`next start` serves in that one process). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
