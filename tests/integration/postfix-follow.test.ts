import { spawn } from "node:child_process";
import { appendFile, copyFile, mkdtemp, rename, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POSTFIX_BENCH_CONNECTORS, postfixLog } from "@/lib/bench/postfix-log";
import { followPostfixLog, readPostfixLog } from "@/lib/sources/postfix/follow";
import { checkSilence } from "@/lib/sources/silence";
import { createAppTestDatabase, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Reading a Postfix log exactly once: the position and correlation state are committed with the
// events, so chunking, a second read, rotation (rename and copytruncate), a failed transaction
// and kill -9 of the reader at random moments all end with the same events as one clean pass.

const START = Date.now() - 3 * 3_600_000;

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createAppTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "mf-postfix-"));
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase(t);
});

async function resetDatabase(db: TestDatabase) {
  await db.db.$executeRawUnsafe(`TRUNCATE "DeliveryEvent", "EventClientId", "EventHourlyCount", "QueuedMessage", "Alert", "EventSource", "AuditEntry", "Connector" RESTART IDENTITY CASCADE`);
  await db.db.connector.createMany({ data: POSTFIX_BENCH_CONNECTORS.map((c) => ({ ...c, queueLifetimeMinutes: 7200 })) });
}

const logOf = (from: number, to: number) => postfixLog(from, to, START);

async function snapshot(db: TestDatabase) {
  const [alerts, messages, events] = await Promise.all([
    db.db.alert.findMany({ orderBy: [{ connectorId: "asc" }, { errorCode: "asc" }, { firstSeenAt: "asc" }],
      select: { connectorId: true, errorCode: true, status: true, eventCount: true, messageCount: true, queuedCount: true, expiredCount: true, firstSeenAt: true, lastSeenAt: true } }),
    db.db.queuedMessage.findMany({ orderBy: [{ messageId: "asc" }, { recipient: "asc" }], select: { messageId: true, recipient: true, state: true, attempts: true, settledAt: true, errorCode: true } }),
    db.db.deliveryEvent.findMany({ orderBy: { clientId: "asc" }, select: { clientId: true, status: true, errorCode: true, occurredAt: true } }),
  ]);
  return { alerts, messages, events };
}

const read = (file: string, chunkBytes?: number) => readPostfixLog(t.db, file, { timeZone: "UTC", chunkBytes });

describe("reading a Postfix log exactly once", () => {
  it("turns a log into events, alerts and queue states; a second read adds nothing", async () => {
    const file = path.join(dir, "once.log");
    await writeFile(file, logOf(0, 60));
    const first = await read(file);
    expect(first).toMatchObject({ lines: 300, events: 120, duplicates: 0, atEnd: true });
    // cleanup, qmgr and "removed" lines are read for the correlation, not skipped.
    expect(first.skipped).toEqual({});
    const s = await snapshot(t);
    expect(s.events).toHaveLength(120);
    expect(s.alerts.map((a) => [a.connectorId, a.errorCode, a.expiredCount])).toEqual([[1, "4.4.316", 10], [2, "4.2.2", 10]]);
    // Postfix's expiries, not the connector's own: the queue lifetime is the MTA's five days.
    expect(s.messages.filter((m) => m.state === "EXPIRED")).toHaveLength(20);
    expect(s.messages.filter((m) => m.state === "DELIVERED")).toHaveLength(40);

    expect(await read(file)).toMatchObject({ lines: 0, events: 0 });
    expect(await snapshot(t)).toEqual(s);
  });

  it("gives the same result in small chunks as in one, and waits for a line still being written", async () => {
    const file = path.join(dir, "chunks.log");
    const text = logOf(0, 40);
    await writeFile(file, text);
    await read(file);
    const whole = await snapshot(t);
    await resetDatabase(t);

    const cut = text.lastIndexOf("\n", text.length / 2) + 20;
    await writeFile(file, text.slice(0, cut));
    const partial = await read(file, 1024);
    expect(partial.lines).toBe(text.slice(0, cut).split("\n").length - 1);
    await appendFile(file, text.slice(cut));
    await read(file, 1024);
    expect(await snapshot(t)).toEqual(whole);
  });

  it("follows a rotation by rename: the rest of the old file first, then the new one from its start", async () => {
    const file = path.join(dir, "rename.log");
    await writeFile(file, logOf(0, 20));
    await read(file);
    await appendFile(file, logOf(20, 30));
    await rename(file, `${file}.1`);
    await writeFile(file, logOf(30, 40));
    const after = await read(file);
    expect(after.rotations).toBe(1);
    expect(after.lines).toBe(100);
    const rotated = await snapshot(t);

    await resetDatabase(t);
    const single = path.join(dir, "rename-single.log");
    await writeFile(single, logOf(0, 40));
    await read(single);
    expect(await snapshot(t)).toEqual(rotated);
  });

  it("follows a copytruncate: the same file, emptied and written again, is read from its start", async () => {
    const file = path.join(dir, "copytruncate.log");
    await writeFile(file, logOf(0, 20));
    await read(file);
    await copyFile(file, `${file}.1`);
    await truncate(file, 0);
    await appendFile(file, logOf(20, 24));
    const after = await read(file);
    expect(after).toMatchObject({ lines: 20, events: 8, rotations: 1 });
    expect(await t.db.deliveryEvent.count()).toBe(48);
  });

  it("adds nothing when a copy of an already read log is read under another name", async () => {
    const file = path.join(dir, "original.log");
    await writeFile(file, logOf(0, 10));
    await read(file);
    const copy = path.join(dir, "copy-of-original.log");
    await copyFile(file, copy);
    expect(await read(copy)).toMatchObject({ lines: 50, events: 0, duplicates: 20 });
  });

  it("loses and repeats nothing when a chunk's transaction fails: the next read does it again", async () => {
    const file = path.join(dir, "failing.log");
    await writeFile(file, logOf(0, 30));
    await t.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_once() RETURNS trigger AS $$
      BEGIN IF NEW."linesRead" > 60 AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'failed_once') THEN
        RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER fail_once BEFORE UPDATE ON "EventSource" FOR EACH ROW EXECUTE FUNCTION fail_once()`);
    try {
      await expect(read(file, 2048)).rejects.toThrow("simulated crash");
      const committed = await t.db.eventSource.findFirstOrThrow();
      expect(Number(committed.linesRead)).toBeLessThanOrEqual(60);
      expect(await t.db.deliveryEvent.count()).toBeLessThan(60);
      await t.db.$executeRawUnsafe(`CREATE TABLE failed_once ()`);
      await read(file, 2048);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_once ON "EventSource"; DROP FUNCTION IF EXISTS fail_once(); DROP TABLE IF EXISTS failed_once`);
    }
    const crashed = await snapshot(t);
    await resetDatabase(t);
    await read(file);
    expect(crashed).toEqual(await snapshot(t));
  });

  it("raises the followed log's own alert when it stays silent past the threshold, and ends it when lines flow again", async () => {
    const file = path.join(dir, "silent.log");
    await writeFile(file, logOf(0, 2));
    await followPostfixLog(t.db, file, { timeZone: "UTC" });
    const source = await t.db.eventSource.findFirstOrThrow();
    expect(source).toMatchObject({ following: true, silentSince: null });
    const lastRead = source.lastReadAt!;
    expect(await checkSilence(t.db, 30, new Date(lastRead.getTime() + 29 * 60_000))).toEqual([]);
    expect(await checkSilence(t.db, 30, new Date(lastRead.getTime() + 31 * 60_000))).toEqual([{ id: source.id, name: source.name, change: "silent", since: lastRead }]);
    expect(await checkSilence(t.db, 30, new Date(lastRead.getTime() + 90 * 60_000))).toEqual([]);
    expect((await t.db.eventSource.findFirstOrThrow()).silentSince).toEqual(lastRead);

    await appendFile(file, logOf(2, 3));
    await followPostfixLog(t.db, file, { timeZone: "UTC" });
    expect((await t.db.eventSource.findFirstOrThrow()).silentSince).toBeNull();
    const audit = await t.db.auditEntry.findMany({ where: { targetType: "source" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.actor, a.action, a.targetId])).toEqual([["system", "source.silent", String(source.id)], ["system", "source.resumed", String(source.id)]]);

    // Another log followed instead: the first is no longer watched.
    const other = path.join(dir, "other.log");
    await writeFile(other, "");
    await followPostfixLog(t.db, other, { timeZone: "UTC" });
    expect((await t.db.eventSource.findMany({ orderBy: { id: "asc" } })).map((r) => r.following)).toEqual([false, true]);
  });

  it("records why a followed log cannot be read, and reads it once it is there", async () => {
    const file = path.join(dir, "not-yet.log");
    await expect(followPostfixLog(t.db, file, { timeZone: "UTC" })).rejects.toThrow("ENOENT");
    expect((await t.db.eventSource.findFirstOrThrow()).lastError).toContain("ENOENT");
    await writeFile(file, logOf(0, 1));
    expect(await followPostfixLog(t.db, file, { timeZone: "UTC" })).toMatchObject({ lines: 5, events: 2 });
    expect((await t.db.eventSource.findFirstOrThrow()).lastError).toBeNull();
  });

  it("ends with the same events as one clean pass when the reader is killed with SIGKILL at random moments", async () => {
    const file = path.join(dir, "killed.log");
    await writeFile(file, logOf(0, 1_500));
    const reference = await createTestDatabase();
    try {
      const runs = await killRepeatedly(file, t.url);
      expect(runs.killed).toBeGreaterThanOrEqual(4);
      const killed = await snapshot(t);
      // The reference: the same file in one uninterrupted run, in a database of its own.
      await reference.db.connector.createMany({ data: (await t.db.connector.findMany()).map(({ createdAt: _c, updatedAt: _u, foldedThrough: _f, ...c }) => c) });
      await readPostfixLog(reference.db, file, { timeZone: "UTC" });
      expect(killed).toEqual(await snapshot(reference));
      expect(killed.events).toHaveLength(3_000);
    } finally {
      await reference.drop();
    }
  }, 180_000);
});

/**
 * Runs the command line over the file, and kills it with SIGKILL a random moment after it has
 * committed more (at most 8 kills), until a run finishes by itself.
 */
async function killRepeatedly(file: string, databaseUrl: string): Promise<{ killed: number }> {
  let killed = 0;
  for (let run = 0; run < 20; run++) {
    const child = spawn(path.join(process.cwd(), "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/source-postfix.ts", file, "--chunk-bytes", "2048", "--time-zone", "UTC"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => ((exited = true), resolve(code))));
    if (killed < 8) {
      const before = await committedOffset();
      // Bounded wait for progress: 200 polls of 50 ms.
      for (let poll = 0; poll < 200 && !exited && (await committedOffset()) <= before; poll++) await sleep(50);
      await sleep(Math.floor(Math.random() * 150));
      if (!exited) child.kill("SIGKILL");
    }
    const code = await exit;
    if (code === 0) return { killed };
    if (code !== null) throw new Error(`the reader failed (exit ${code}): ${stderr}`);
    killed += 1;
  }
  throw new Error("the reader never finished");
}

async function committedOffset(): Promise<number> {
  const row = await t.db.eventSource.findFirst({ select: { offset: true } });
  return Number(row?.offset ?? -1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
