import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// Real production servers (`next start`) for tests of several app instances on one database.
// The build in .next is shared with the browser tests and the other engineers' builds, which
// replace it under a lock file: a test takes that lock only to build (when no build exists) and to
// copy the build into a folder of its own, then serves the copy, so a rebuild beside it neither
// waits for the test nor breaks its servers.

const ROOT = process.cwd();
const NEXT = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const BUILD_LOCK = process.env.BUILD_LOCK_FILE ?? path.join(os.tmpdir(), "mailflow-e2e.lock");

export type AppServer = {
  name: string;
  url: string;
  /** Every line the server wrote (stdout and stderr), in order. */
  lines: string[];
  /** Sends the signal and waits (bounded) for the process to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  exited: () => boolean;
};

/** A port on loopback that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type BuildCopy = { dir: string; remove: () => Promise<void> };

/**
 * A copy of the production build (made first when none exists) in a folder of its own, beside
 * links to the project's node_modules, public files and next.config.js: what `next start <dir>` needs.
 */
export async function copyBuild(): Promise<BuildCopy> {
  // A copy made before (by this function, or by hand while the lock was held), kept by its maker.
  if (process.env.TEST_BUILD_DIR) return { dir: process.env.TEST_BUILD_DIR, remove: async () => undefined };
  const release = await holdBuild();
  const dir = await mkdtemp(path.join(os.tmpdir(), "mf-build-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    // The build's cache is only for the next build.
    const cache = path.join(ROOT, ".next", "cache");
    await cp(path.join(ROOT, ".next"), path.join(dir, ".next"), { recursive: true, filter: (source) => source !== cache });
    for (const entry of ["node_modules", "public", "package.json", "next.config.js"]) {
      if (existsSync(path.join(ROOT, entry))) await symlink(path.join(ROOT, entry), path.join(dir, entry));
    }
  } catch (error) {
    await remove();
    throw error;
  } finally {
    await release();
  }
  return { dir, remove };
}

/**
 * Holds the build lock (flock on BUILD_LOCK, waiting at most `waitMs`), and builds when no build
 * exists. Returns the release.
 */
async function holdBuild(waitMs = 30 * 60_000): Promise<() => Promise<void>> {
  const holder = spawn("flock", ["-w", String(Math.ceil(waitMs / 1000)), BUILD_LOCK, "-c", "echo locked; cat > /dev/null"], { stdio: ["pipe", "pipe", "inherit"] });
  const release = async () => {
    holder.stdin?.end();
    await exitOf(holder, 5_000);
  };
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once("data", () => resolve());
    holder.once("exit", (code) => reject(new Error(`could not take the build lock ${BUILD_LOCK} (flock exited ${code})`)));
  });
  try {
    if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
      const build = spawn(process.execPath, [NEXT, "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
      const code = await exitOf(build, 15 * 60_000);
      if (code !== 0) throw new Error(`next build exited ${code}`);
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}

/**
 * Starts `next start` of the build in `buildDir` (a copyBuild) on a free port with `env`
 * (DATABASE_URL and friends) and waits until /api/health answers 200.
 */
export async function startAppServer(name: string, buildDir: string, env: Record<string, string>, readyMs = 90_000): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [NEXT, "start", buildDir, "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, NODE_ENV: "production", AUTH_URL: url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = "";
    stream.setEncoding("utf8").on("data", (text: string) => {
      const parts = (rest + text).split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
    });
  }
  const server: AppServer = {
    name,
    url,
    lines,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: async (signal = "SIGTERM") => {
      if (server.exited()) return;
      child.kill(signal);
      if ((await exitOf(child, 15_000)) === undefined) child.kill("SIGKILL");
    },
  };
  const deadline = Date.now() + readyMs;
  while (Date.now() < deadline && !server.exited()) {
    const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop("SIGKILL");
  throw new Error(`${name} did not answer /api/health within ${readyMs} ms:\n${lines.slice(-30).join("\n")}`);
}

/** The exit code, or undefined when the process still runs after `ms`. */
function exitOf(child: ChildProcess, ms: number): Promise<number | null | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
