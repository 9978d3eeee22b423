import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A private Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on a loopback port, with
 * its own configuration and storage in a temp dir, clustering off (an empty
 * `--cluster.listen-address=`: no gossip port, and no need for a private address to advertise),
 * and one receiver that sends nothing. It runs under a watchdog shell that holds a pipe from the
 * test process: when the pipe closes (`stop()`, or the test process dies) the shell kills it.
 */

export const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";
const LOOPBACK = "127.0.0.1";
const READY_ATTEMPTS = 100;
const READY_INTERVAL_MS = 100;
const STOP_TIMEOUT_MS = 5_000;

export type GettableAlert = Readonly<{
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint: string;
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[] };
}>;

export type Alertmanager = Readonly<{
  /** `http://127.0.0.1:PORT`: a channel's `settings.baseUrl`. */
  baseUrl: string;
  port: number;
  /** GET /api/v2/alerts: the alerts Alertmanager holds as not yet resolved. */
  alerts: (filter?: Readonly<Record<string, string>>) => Promise<GettableAlert[]>;
  /** What it wrote to stderr (its log), for a failing test's message. */
  log: () => string;
  stop: () => Promise<void>;
}>;

/** Null when it can run here, else why not. */
export function alertmanagerUnavailable(): string | null {
  return existsSync(ALERTMANAGER_BINARY) ? null : `${ALERTMANAGER_BINARY} is missing: apt-get install prometheus-alertmanager (.ci/run does)`;
}

// Bounded: after stdin closes, TERM, then up to 3 s for it to exit, then KILL.
const WATCHDOG = [
  '"$0" "$@" & pid=$!',
  "cat >/dev/null",
  'kill "$pid" 2>/dev/null',
  'i=0; while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 0.1; i=$((i + 1)); done',
  'kill -9 "$pid" 2>/dev/null',
  'wait "$pid"',
].join("\n");

const CONFIG = `# Written by tests/lab/alertmanager.ts: one receiver without integrations, so nothing is sent anywhere.
route:
  receiver: sink
  group_by: [alertname, connector, code]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sink
`;

export async function startAlertmanager(): Promise<Alertmanager> {
  const unavailable = alertmanagerUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dir = await mkdtemp(path.join(os.tmpdir(), "mailflow-alertmanager-"));
  const config = path.join(dir, "alertmanager.yml");
  await writeFile(config, CONFIG);
  const port = await freePort();
  const args = [
    `--config.file=${config}`,
    `--storage.path=${path.join(dir, "data")}`,
    `--web.listen-address=${LOOPBACK}:${port}`,
    "--cluster.listen-address=",
    "--log.level=warn",
  ];
  // The shell starts Alertmanager, waits for its stdin to close, then kills it: no orphan survives the test process.
  const child = spawn("/bin/sh", ["-c", WATCHDOG, ALERTMANAGER_BINARY, ...args], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const baseUrl = `http://${LOOPBACK}:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(baseUrl, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    port,
    alerts: async (filter = {}) => {
      const query = Object.entries(filter).map(([k, v]) => `filter=${encodeURIComponent(`${k}="${v}"`)}`).join("&");
      const response = await fetch(`${baseUrl}/api/v2/alerts${query ? `?${query}` : ""}`, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`GET /api/v2/alerts: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as GettableAlert[];
    },
    log: () => stderr,
    stop,
  };
}

async function waitReady(baseUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) throw new Error(`Alertmanager exited with ${child.exitCode}: ${log()}`);
    try {
      const response = await fetch(`${baseUrl}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, READY_INTERVAL_MS));
  }
  throw new Error(`Alertmanager was not ready within ${(READY_ATTEMPTS * READY_INTERVAL_MS) / 1000} s: ${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A loopback port that was free a moment ago (Alertmanager binds it itself). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
