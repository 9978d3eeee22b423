import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { EMBEDDED_MAX_CONNECTIONS, EMBEDDED_POOL_MAX } from "@/lib/db/embedded";
import { createScheduler } from "@/lib/jobs/scheduler";
import { freePort } from "@/tests/helpers/app-server";

// `npm start` without DATABASE_URL: one app on the embedded database (PGlite over the wire). The
// lock's dedicated connection comes on top of the app's pool, and both must fit its -m limit.
// The server runs in memory with the app's limit (a data folder's first start takes far longer;
// tests/integration/embedded-db.test.ts covers that).
let server: { url: string; child: ChildProcess };

beforeAll(async () => {
  const port = await freePort();
  const bin = path.join(process.cwd(), "node_modules", ".bin", "pglite-server");
  const child = spawn(bin, [`--port=${port}`, "--host=127.0.0.1", `--max-connections=${EMBEDDED_MAX_CONNECTIONS}`], { stdio: "ignore" });
  server = { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`, child };
  const deadline = Date.now() + 30_000;
  while (!(await isOpen(port))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("pglite-server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(() => {
  server?.child.kill("SIGTERM");
});

it("leads and runs its jobs on the embedded database with the app's whole pool busy beside the lock's connection", async () => {
  expect(EMBEDDED_POOL_MAX + 1).toBeLessThanOrEqual(EMBEDDED_MAX_CONNECTIONS);
  const pool = new pg.Pool({ connectionString: server.url, max: EMBEDDED_POOL_MAX });
  const scheduler = createScheduler({ connectionString: server.url, pollMs: 100, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  const seen: number[] = [];
  scheduler.register({
    name: "probe",
    everyMs: 50,
    run: async () => {
      const answers = await Promise.all(Array.from({ length: EMBEDDED_POOL_MAX }, (_, i) => pool.query<{ n: number }>("SELECT $1::int AS n, pg_sleep(0.05)", [i])));
      seen.push(...answers.map((a) => a.rows[0]!.n));
    },
  });
  try {
    scheduler.start();
    const deadline = Date.now() + 10_000;
    while (seen.length < 2 * EMBEDDED_POOL_MAX && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(scheduler.isLeader()).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(2 * EMBEDDED_POOL_MAX);
  } finally {
    await scheduler.stop(1_000);
    await pool.end();
  }
  expect(scheduler.isLeader()).toBe(false);
});

function isOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}
