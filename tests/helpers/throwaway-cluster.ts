import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// A Postgres cluster of a test's own, for tests that stop and start the server: initdb (as the
// postgres user when the tests run as root) in a temp dir, on a free loopback port, never the
// shared server; and a streaming replica of one.

export type Cluster = { url: string; start: () => void; stop: (mode?: "fast" | "immediate") => void; remove: () => void };

/**
 * The newest installed Postgres's bin directory, or null on a developer's machine without one (its
 * tests skip there). Under CI, which .ci/run provides with Postgres, a missing one is an error:
 * the tests of a restart and of a replica must run, never skip unnoticed.
 */
export function postgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(root, versions[0], "bin");
  if (process.env.CI) throw new Error(`No Postgres server programs (initdb) under ${root}: CI needs them for the throwaway clusters.`);
  return null;
}

export async function createCluster(bin: string): Promise<Cluster> {
  const { dir, port, run } = await prepare(bin);
  run("initdb", ["-D", path.join(dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync"]);
  return started(dir, port, run);
}

/**
 * A streaming replica of `primary` (pg_basebackup -R: a hot standby that follows the primary's
 * WAL), a cluster of its own on another free port. initdb's default pg_hba lets loopback replicate.
 */
export async function createReplica(bin: string, primary: Cluster): Promise<Cluster> {
  const { dir, port, run } = await prepare(bin);
  const source = new URL(primary.url);
  run("pg_basebackup", ["-h", source.hostname, "-p", source.port, "-U", "postgres", "-D", path.join(dir, "data"), "-R", "-X", "stream", "--no-sync"]);
  return started(dir, port, run);
}

type Run = (tool: string, args: string[]) => void;

async function prepare(bin: string): Promise<{ dir: string; port: number; run: Run }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mf-pg-"));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run: Run = (tool, args) => {
    execFileSync(asRoot ? "runuser" : path.join(bin, tool), asRoot ? ["-u", "postgres", "--", path.join(bin, tool), ...args] : args, { stdio: "pipe" });
  };
  return { dir, port, run };
}

function started(dir: string, port: number, run: Run): Cluster {
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => run("pg_ctl", ["-D", path.join(dir, "data"), "-o", options, "-l", path.join(dir, "log"), "-w", "start"]),
    stop: (mode = "fast") => run("pg_ctl", ["-D", path.join(dir, "data"), "-m", mode, "-w", "stop"]),
    remove: () => {
      try { cluster.stop("immediate"); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
