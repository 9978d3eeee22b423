import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { unlinkSync } from "node:fs";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { env, resetEnvCache, setEnv } from "@/lib/env";

// The embedded database: PGlite served over the Postgres wire protocol by pglite-server, kept
// on disk so a restart keeps the data. It serialises all work, so the app's pool is kept small.
export const EMBEDDED_MAX_CONNECTIONS = 8;
export const EMBEDDED_POOL_MAX = 2;

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };
export type OpenDatabase = EmbeddedDatabase & { embedded: boolean };

/**
 * The Postgres named by DATABASE_URL (from the environment or `.env`) when it is set; otherwise
 * the embedded database, started now, with DATABASE_URL and a pool it can serve set for child
 * processes. With `joinRunning` (command-line scripts), an embedded database that a running app
 * already serves is used through that app's server instead.
 */
export async function openDatabase(options: { joinRunning?: boolean } = {}): Promise<OpenDatabase> {
  loadDotEnvFile();
  const { DATABASE_URL, EMBEDDED_DB_DIR, EMBEDDED_DB_PORT } = env();
  if (DATABASE_URL) return { url: DATABASE_URL, embedded: false, stop: async () => undefined };
  const running = options.joinRunning ? await runningServer(path.resolve(EMBEDDED_DB_DIR)) : null;
  const server = running ?? (await startEmbeddedDatabase(EMBEDDED_DB_DIR, EMBEDDED_DB_PORT));
  setEnv("DATABASE_URL", server.url);
  setEnv("DB_POOL_MAX", String(EMBEDDED_POOL_MAX));
  return { ...server, embedded: true };
}

/** The server a live process runs on this folder (its lock says which port), if it answers. */
async function runningServer(dir: string): Promise<EmbeddedDatabase | null> {
  const holder = await readLock(`${dir}.lock`);
  if (!holder || !isRunning(holder.pid) || !(await isPortOpen(holder.port))) return null;
  return { url: embeddedUrl(holder.port), stop: async () => undefined };
}

function embeddedUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

export async function startEmbeddedDatabase(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir);
  await mkdir(path.dirname(dir), { recursive: true });
  const releaseLock = await lockDataDir(dir, port);
  try {
    if (await isPortOpen(port)) {
      throw new Error(`Port ${port} is already in use; set EMBEDDED_DB_PORT to a free port or DATABASE_URL to a Postgres server.`);
    }
    const server = await spawnServer(dir, port);
    return { url: server.url, stop: async () => { await server.stop(); await releaseLock(); } };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

type Lock = { pid: number; port: number };

/**
 * One server at a time per data folder: two PGlite servers on one folder would corrupt it. The
 * lock is a file beside the folder naming the owner's pid and port; a lock whose process is gone
 * is stale and taken over.
 */
export async function lockDataDir(dir: string, port: number): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid, port } satisfies Lock), { flag: "wx" });
      const removeOnExit = () => { try { unlinkSync(file); } catch { /* already gone */ } };
      process.once("exit", removeOnExit);
      return async () => {
        process.off("exit", removeOnExit);
        await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
      const owner = await readLock(file);
      if (owner && isRunning(owner.pid)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${owner.pid} (a running \`npm start\`?). ` +
            "Stop that process first, or set EMBEDDED_DB_DIR to another folder.",
        );
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dir}.`);
}

async function readLock(file: string): Promise<Lock | null> {
  try {
    const lock = JSON.parse(await readFile(file, "utf8")) as Partial<Lock>;
    return Number.isInteger(lock.pid) && Number.isInteger(lock.port) ? (lock as Lock) : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as { code?: unknown }).code === "EPERM";
  }
}

async function spawnServer(dir: string, port: number): Promise<EmbeddedDatabase> {
  const bin = path.join(process.cwd(), "node_modules", ".bin", "pglite-server");
  const child = spawn(bin, [`--db=${dir}`, `--port=${port}`, "--host=127.0.0.1", `--max-connections=${EMBEDDED_MAX_CONNECTIONS}`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  // However this process ends (a crash included, SIGKILL excepted), the server must not outlive it.
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  await waitForPort(port, child);
  return { url: embeddedUrl(port), stop: () => stopChild(child) };
}

/** Variables already in the environment win over the file's. */
function loadDotEnvFile(): void {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
  }
  resetEnvCache();
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The embedded database exited with code ${child.exitCode}.`);
    if (await isPortOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("The embedded database did not start within 60 s.");
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}
