import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { schemaDrift } from "@/lib/db/schema-drift";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The guard against drift: prisma/schema.prisma and the hand-written migrations must describe
// the same database. The first test is the one that fails when someone changes only one of them.

describe("schema drift check", () => {
  it("finds no difference between schema.prisma and a freshly migrated database", async () => {
    const t = await createTestDatabase(1);
    try {
      expect(await schemaDrift(t.url)).toEqual([]);
    } finally {
      await t.drop();
    }
  });

  describe("on a damaged database", () => {
    let t: TestDatabase;
    beforeEach(async () => { t = await createTestDatabase(1); });
    afterEach(async () => { await t.drop(); });

    it("reports a column missing from the database", async () => {
      await t.db.$executeRawUnsafe(`ALTER TABLE "Alert" DROP COLUMN "severity"`);
      expect(await schemaDrift(t.url)).toEqual(["Column Alert.severity (Severity) is missing from the database."]);
    });

    it("reports a dropped index, a dropped unique index and a dropped foreign key", async () => {
      await t.db.$executeRawUnsafe(`DROP INDEX "Alert_lastSeenAt_id_idx"`);
      await t.db.$executeRawUnsafe(`DROP INDEX "QueuedMessage_connectorId_messageId_recipient_key"`);
      await t.db.$executeRawUnsafe(`ALTER TABLE "Remediation" DROP CONSTRAINT "Remediation_alertId_fkey"`);
      expect(await schemaDrift(t.url)).toEqual([
        "QueuedMessage: index UNIQUE (connectorId, messageId, recipient) is missing from the database.",
        "Alert: index INDEX (lastSeenAt DESC, id DESC) is missing from the database.",
        "Remediation: foreign key (alertId) REFERENCES Alert (id) ON DELETE CASCADE is missing from the database.",
      ]);
    });

    it("compares the partitioned events table as its parent: partitions are no drift, an index missing on the parent is", async () => {
      // More partitions than the migration made, and one detached (a plain table again, which is drift).
      expect(await t.db.$queryRawUnsafe(`SELECT ensure_event_partitions('2031-01-01', '2031-01-03') AS made`)).toEqual([{ made: 3 }]);
      expect(await schemaDrift(t.url)).toEqual([]);
      await t.db.$executeRawUnsafe(`ALTER TABLE "DeliveryEvent" DETACH PARTITION "DeliveryEvent_p20310101"`);
      expect(await schemaDrift(t.url)).toEqual(["Table DeliveryEvent_p20310101 exists in the database but not in schema.prisma."]);
      await t.db.$executeRawUnsafe(`DROP TABLE "DeliveryEvent_p20310101"`);
      // Dropping the parent's index drops each partition's copy with it.
      await t.db.$executeRawUnsafe(`DROP INDEX "DeliveryEvent_connectorId_errorCode_occurredAt_idx"`);
      expect(await schemaDrift(t.url)).toEqual(["DeliveryEvent: index INDEX (connectorId, errorCode, occurredAt) is missing from the database."]);
    });

    it("reports an index on a partition only as no index of the parent", async () => {
      await t.db.$executeRawUnsafe(`DROP INDEX "DeliveryEvent_connectorId_occurredAt_idx"`);
      const [part] = await t.db.$queryRawUnsafe<{ name: string }[]>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"DeliveryEvent"'::regclass LIMIT 1`,
      );
      await t.db.$executeRawUnsafe(`CREATE INDEX ON "${part!.name}" ("connectorId", "occurredAt")`);
      expect(await schemaDrift(t.url)).toEqual(["DeliveryEvent: index INDEX (connectorId, occurredAt) is missing from the database."]);
    });

    it("reports a missing enum value", async () => {
      await t.db.$executeRawUnsafe(`ALTER TYPE "Severity" RENAME VALUE 'HIGH' TO 'CRITICAL'`);
      expect(await schemaDrift(t.url)).toEqual([
        "Enum Severity is missing value HIGH in the database.",
        "Enum Severity has value CRITICAL in the database but not in schema.prisma.",
      ]);
    });

    it("reports a wrong type, a wrong nullability and things the schema does not know", async () => {
      await t.db.$executeRawUnsafe(`ALTER TABLE "Connector" ALTER COLUMN "name" TYPE TEXT`);
      await t.db.$executeRawUnsafe(`ALTER TABLE "Connector" ALTER COLUMN "comment" SET NOT NULL`);
      await t.db.$executeRawUnsafe(`ALTER TABLE "Connector" ADD COLUMN "legacy" INTEGER`);
      await t.db.$executeRawUnsafe(`CREATE TABLE "Scratch" ("id" INTEGER PRIMARY KEY)`);
      expect(await schemaDrift(t.url)).toEqual([
        "Column Connector.name has type text in the database, schema.prisma says character varying(64).",
        "Column Connector.comment is NOT NULL in the database, schema.prisma says nullable.",
        "Column Connector.legacy exists in the database but not in schema.prisma.",
        "Table Scratch exists in the database but not in schema.prisma.",
      ]);
    });
  });

  describe("type mapping", () => {
    let t: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      t = await createTestDatabase(1);
      dir = await mkdtemp(path.join(os.tmpdir(), "mf-drift-"));
    });
    afterAll(async () => {
      await t?.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it("spells every Prisma type, @db type, @map name and list as Postgres does", async () => {
      await t.db.$executeRawUnsafe(`CREATE TYPE "shade" AS ENUM ('light', 'dark')`);
      await t.db.$executeRawUnsafe(`CREATE TABLE "samples" (
        "id" BIGSERIAL PRIMARY KEY, "label" TEXT NOT NULL, "code" CHAR(3), "key" UUID NOT NULL,
        "small" SMALLINT NOT NULL, "ratio" DOUBLE PRECISION, "price" DECIMAL(65,30), "amount" DECIMAL(10,2),
        "flag" BOOLEAN NOT NULL, "at" TIMESTAMP(3) NOT NULL, "day" DATE, "doc" JSONB, "raw" JSON, "bytes" BYTEA,
        "tags" TEXT[], "counts" INTEGER[], "shades" "shade"[], "shade" "shade" NOT NULL)`);
      await t.db.$executeRawUnsafe(`CREATE UNIQUE INDEX "samples_code_day_key" ON "samples"("code", "day")`);
      const schema = `
        datasource db {
          provider = "postgresql"
        }
        enum Shade {
          LIGHT @map("light")
          DARK  @map("dark")
          @@map("shade")
        }
        model Sample {
          id     BigInt    @id @default(autoincrement())
          label  String
          code   String?   @db.Char(3)
          key    String    @db.Uuid
          small  Int       @db.SmallInt
          ratio  Float?
          price  Decimal?
          amount Decimal?  @db.Decimal(10, 2)
          flag   Boolean
          at     DateTime
          day    DateTime? @db.Date
          doc    Json?
          raw    Json?     @db.Json
          bytes  Bytes?
          tags   String[]
          counts Int[]
          shades Shade[]
          tone   Shade     @map("shade")
          @@unique([code, day])
          @@map("samples")
        }`;
      const file = path.join(dir, "schema.prisma");
      await writeFile(file, schema);

      const drift = await schemaDrift(t.url, file);

      // The migrated app tables and enums are not in this little schema: only they may be reported.
      expect(drift.length).toBeGreaterThan(0);
      expect(drift.filter((d) => !/^(Table|Enum) \w+ exists in the database but not in schema.prisma.$/.test(d))).toEqual([]);
      expect(drift.filter((d) => /samples|shade/i.test(d))).toEqual([]);

      await t.db.$executeRawUnsafe(`ALTER TABLE "samples" ALTER COLUMN "amount" TYPE DECIMAL(12,2), ALTER COLUMN "shades" TYPE TEXT[]`);
      expect((await schemaDrift(t.url, file)).filter((d) => d.includes("samples"))).toEqual([
        "Column samples.amount has type numeric(12,2) in the database, schema.prisma says numeric(10,2).",
        "Column samples.shades has type text[] in the database, schema.prisma says shade[].",
      ]);
    });
  });
});
