import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { MIGRATIONS_DIR, migrate, readMigrationFiles } from "@/lib/db/migrate";
import { schemaDrift } from "@/lib/db/schema-drift";
import { ingestEvents } from "@/lib/events/ingest";
import { DAY_MS, partitionName } from "@/lib/events/partitions";
import { buildEvent } from "@/tests/helpers/factories";
import { createEmptyDatabase } from "@/tests/helpers/test-db";

// The migration an existing installation runs (docs/partitioning.md): a database migrated to the
// migration before it, with events over several weeks (one older than the retention), is migrated;
// every row is where it was, each in its day's partition, with its client id, and ingest works.

const PARTITIONING = "20261201220000_partition_events";
const NOW = Date.now();
let url: string;
let drop: () => Promise<void>;
let dir: string;
let client: pg.Client;
let db: Db | undefined;

beforeAll(async () => {
  ({ url, drop } = await createEmptyDatabase());
  dir = await mkdtemp(path.join(os.tmpdir(), "mf-before-partitions-"));
  for (const m of await readMigrationFiles()) {
    if (m.name < PARTITIONING) await cp(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
  }
  await migrate(url, dir);
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  if (db) await closeDb(db);
  await drop?.();
  await rm(dir, { recursive: true, force: true });
});

const ROWS = `SELECT id::text, "clientId", source, "occurredAt", "receivedAt", "connectorId", "messageId", sender, recipient, "recipientDomain",
  status::text, "smtpStatus", "errorCode", "errorDetails", destination FROM "DeliveryEvent" ORDER BY id`;

it("moves every event into its day's partition, keeps client ids unique and ingest working", async () => {
  const { rows: connectors } = await client.query<{ id: number }>(
    `INSERT INTO "Connector" (name, kind, "smartHosts", "updatedAt") VALUES ('To Contoso', 'PARTNER', ARRAY['mx.contoso.example'], now()),
       ('To Fabrikam', 'PARTNER', ARRAY['mx.fabrikam.example'], now()) RETURNING id`,
  );
  const [a, b] = connectors.map((c) => c.id) as [number, number];
  // Six weeks of events, every 7 hours, on both connectors; one more from 120 days ago (older
  // than the retention: it stays in its partition until the retention job drops it); a few without a client id.
  const values: string[] = [];
  for (let i = 0; i < 6 * 24; i++) {
    const at = new Date(NOW - 42 * DAY_MS + i * 7 * 3_600_000).toISOString();
    const clientId = i % 10 === 9 ? "NULL" : `'old-${i}'`;
    values.push(`(${clientId}, '${at}', ${i % 2 ? a : b}, '<m${i}@contoso.example>', 'r${i}@contoso.example', 'contoso.example', '${i % 3 ? "DELIVERED" : "DEFERRED"}', ${i % 3 ? "NULL" : "'4.4.316'"})`);
  }
  values.push(`('ancient', '${new Date(NOW - 120 * DAY_MS).toISOString()}', ${a}, '<ancient@contoso.example>', 'x@contoso.example', 'contoso.example', 'DELIVERED', NULL)`);
  await client.query(`INSERT INTO "DeliveryEvent" ("clientId", "occurredAt", "connectorId", "messageId", recipient, "recipientDomain", status, "errorCode")
    VALUES ${values.join(", ")}`);
  const before = (await client.query(ROWS)).rows;
  expect(before).toHaveLength(6 * 24 + 1);

  expect(await migrate(url)).toEqual((await readMigrationFiles()).filter((m) => m.name >= PARTITIONING).map((m) => m.name));

  expect((await client.query(ROWS)).rows).toEqual(before);
  const { rows: placed } = await client.query<{ occurredAt: Date; part: string }>(`SELECT "occurredAt", tableoid::regclass::text AS part FROM "DeliveryEvent"`);
  for (const row of placed) expect(row.part).toBe(`"${partitionName(row.occurredAt)}"`);
  const { rows: kinds } = await client.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE relname = 'DeliveryEvent'`);
  expect(kinds).toEqual([{ relkind: "p" }]);
  const { rows: ids } = await client.query<{ clientId: string; occurredAt: Date }>(`SELECT "clientId", "occurredAt" FROM "EventClientId" ORDER BY "clientId"`);
  const withIds = before.filter((r) => r.clientId !== null);
  expect(ids).toEqual(withIds.map((r) => ({ clientId: r.clientId, occurredAt: r.occurredAt })).sort((x, y) => (x.clientId < y.clientId ? -1 : 1)));
  expect(await schemaDrift(url)).toEqual([]);

  // After the move: an old client id at another time is still a duplicate; a new one is stored
  // with an id after every moved one and folds into an alert.
  db = createDb(url, 2);
  const now = new Date(NOW);
  const result = await ingestEvents(db, [
    buildEvent({ id: "old-3", connector: a, occurredAt: new Date(NOW - 2 * DAY_MS).toISOString() }),
    buildEvent({ id: "ancient", connector: a, occurredAt: new Date(NOW - 1 * DAY_MS).toISOString() }),
    buildEvent({ id: "new-1", connector: a, occurredAt: new Date(NOW - 60_000).toISOString() }),
  ], { now });
  expect(result).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
  const stored = await db.deliveryEvent.findFirstOrThrow({ where: { clientId: "new-1" } });
  expect(stored.id).toBeGreaterThan(BigInt(before.at(-1)!.id as string));
  expect(await db.alert.count({ where: { connectorId: a, resolvedAt: null } })).toBe(1);

  // The foreign key to Connector still cascades, through every partition.
  await db.connector.delete({ where: { id: b } });
  expect(await db.deliveryEvent.count({ where: { connectorId: b } })).toBe(0);
  expect(await db.deliveryEvent.count({ where: { connectorId: a } })).toBe(before.filter((r) => r.connectorId === a).length + 1);
});
