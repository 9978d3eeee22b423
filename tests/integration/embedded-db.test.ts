import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import pg from "pg";
import { EMBEDDED_POOL_MAX, lockDataDir, openDatabase, startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { resetEnvCache } from "@/lib/env";
import { migrate, migrationStatus, readMigrationFiles } from "@/lib/db/migrate";
import { buildConnector } from "@/tests/helpers/factories";

// The embedded database (PGlite over the wire protocol) is what `npm start` uses without
// DATABASE_URL. It runs one statement at a time, so what must be proven is that concurrent
// transactions through the app's pool still keep their isolation and their outcome.

// Transactions queue behind each other on the embedded database: wait longer than Prisma's 2 s default.
const TX = { maxWait: 20_000, timeout: 30_000 };

let dir: string;
let port: number;
let server: EmbeddedDatabase | undefined;
let db: Db | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "mf-embedded-"));
  port = await freePort();
  server = await startEmbeddedDatabase(path.join(dir, "pglite"), port);
});

afterAll(async () => {
  if (db) await closeDb(db);
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("embedded database", () => {
  it("refuses a second server on the same folder, whatever its port, and says who holds it", async () => {
    const folder = path.join(dir, "pglite");
    expect(JSON.parse(await readFile(`${folder}.lock`, "utf8"))).toEqual({ pid: process.pid, port });
    await expect(startEmbeddedDatabase(folder, await freePort())).rejects.toThrow(`in use by process ${process.pid}`);
    // The refused start leaves the holder's lock alone.
    expect(JSON.parse(await readFile(`${folder}.lock`, "utf8"))).toEqual({ pid: process.pid, port });
  });

  it("lets a command-line script use the server a running app holds the folder with", async () => {
    const saved = { ...process.env };
    try {
      delete process.env.DATABASE_URL;
      process.env.EMBEDDED_DB_DIR = path.join(dir, "pglite");
      process.env.EMBEDDED_DB_PORT = String(await freePort());
      resetEnvCache();
      const joined = await openDatabase({ joinRunning: true });
      expect(joined).toMatchObject({ embedded: true, url: server!.url });
      await joined.stop();
      // Stopping the script's side leaves the app's server running.
      const client = new pg.Client({ connectionString: server!.url });
      await client.connect();
      expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await client.end();
      // Without joinRunning (npm start), the folder is refused.
      delete process.env.DATABASE_URL;
      resetEnvCache();
      await expect(openDatabase()).rejects.toThrow(/in use by process/);
    } finally {
      process.env = saved;
      resetEnvCache();
    }
  });

  it("takes over a lock whose process is gone", async () => {
    const folder = path.join(dir, "stale");
    await writeFile(`${folder}.lock`, JSON.stringify({ pid: 2147483646, port: 1 }));
    const release = await lockDataDir(folder, 4321);
    expect(JSON.parse(await readFile(`${folder}.lock`, "utf8"))).toEqual({ pid: process.pid, port: 4321 });
    await release();
    await expect(readFile(`${folder}.lock`, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("takes the migrations, and a second run is a no-op", async () => {
    const files = await readMigrationFiles();
    expect(await migrate(server!.url)).toEqual(files.map((f) => f.name));
    expect(await migrate(server!.url)).toEqual([]);
    db = createDb(server!.url, EMBEDDED_POOL_MAX);
  });

  it("keeps two concurrent interactive transactions isolated: one commits, one rolls back", async () => {
    const committedAt: { t1?: number } = {};
    const seen: Record<string, string[]> = {};

    const t1 = db!.$transaction(async (tx) => {
      await tx.connector.create({ data: buildConnector({ name: "tx-one" }) });
      await sleep(300);
      seen.t1 = await names(tx);
      return "committed";
    }, TX).then((r) => { committedAt.t1 = Date.now(); return r; });

    await sleep(50);
    const t2 = db!.$transaction(async (tx) => {
      await tx.connector.create({ data: buildConnector({ name: "tx-two" }) });
      seen.t2 = await names(tx);
      seen.t2At = [String(Date.now())];
      throw new RollBack();
    }, TX).catch((e: unknown) => { if (e instanceof RollBack) return "rolled back"; throw e; });

    expect(await Promise.all([t1, t2])).toEqual(["committed", "rolled back"]);
    // t1 never saw t2's uncommitted (later rolled back) row.
    expect(seen.t1).toEqual(["tx-one"]);
    // t2 saw its own row, and t1's only if t1 had already committed.
    expect(seen.t2).toContain("tx-two");
    if (seen.t2!.includes("tx-one")) expect(committedAt.t1).toBeLessThanOrEqual(Number(seen.t2At![0]));
    expect(await names(db!)).toEqual(["tx-one"]);
  });

  it("commits every one of several concurrent read-then-write transactions exactly once", async () => {
    const before = await db!.connector.count();
    const runs = Array.from({ length: 6 }, (_, i) =>
      db!.$transaction(async (tx) => {
        const count = await tx.connector.count();
        await tx.connector.create({ data: buildConnector({ name: `batch-${i}`, comment: `saw ${count}` }) });
        return tx.connector.count();
      }, TX),
    );
    const counts = await Promise.all(runs);

    // Serialised, each transaction saw all earlier ones and its own row: counts are distinct.
    expect(new Set(counts).size).toBe(runs.length);
    expect(await db!.connector.count()).toBe(before + runs.length);
  });

  it("keeps its data across a restart on the same folder", async () => {
    await closeDb(db!);
    db = undefined;
    await server!.stop();

    server = await startEmbeddedDatabase(path.join(dir, "pglite"), port);
    db = createDb(server.url, EMBEDDED_POOL_MAX);

    expect(await names(db)).toEqual(expect.arrayContaining(["tx-one", "batch-0", "batch-5"]));
    expect((await migrationStatus(server.url)).pending).toEqual([]);
  });

  it("refuses to start on a port that is taken", async () => {
    await expect(startEmbeddedDatabase(path.join(dir, "other"), port)).rejects.toThrow(/Port \d+ is already in use/);
  });
});

class RollBack extends Error {}

type ConnectorReader = Pick<Db, "connector">;

async function names(client: ConnectorReader): Promise<string[]> {
  const rows = await client.connector.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((r) => r.name);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
