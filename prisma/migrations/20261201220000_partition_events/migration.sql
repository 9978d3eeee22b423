-- Issue 15 (docs/partitioning.md): "DeliveryEvent" becomes a table partitioned by UTC day on
-- "occurredAt"; client ids move to "EventClientId" (a partitioned table's unique index must
-- include the partition key); the retention's deletes get their indexes; "FoldCheckpoint" keeps
-- the fold's state where a replay would otherwise need dropped events. Runs in one transaction.

-- The old table steps aside; its rows move below and it is dropped.
ALTER TABLE "DeliveryEvent" RENAME TO "DeliveryEvent_old";

-- CreateTable
CREATE TABLE "DeliveryEvent" (
    "id" BIGINT NOT NULL,
    "clientId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'api',
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectorId" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "sender" TEXT,
    "recipient" TEXT,
    "recipientDomain" TEXT,
    "status" "EventStatus" NOT NULL,
    "smtpStatus" INTEGER,
    "errorCode" TEXT,
    "errorDetails" TEXT,
    "destination" TEXT
) PARTITION BY RANGE ("occurredAt");

-- One partition per UTC day, named "DeliveryEvent_pYYYYMMDD"; the retention job
-- (lib/events/retention.ts) calls this too. The lock keeps two callers from racing on CREATE TABLE.
CREATE FUNCTION ensure_event_partitions(first_day date, last_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day date;
  part text;
  made integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(7431902120);
  FOR day IN SELECT d::date FROM generate_series(first_day::timestamp, last_day::timestamp, interval '1 day') AS d LOOP
    part := 'DeliveryEvent_p' || to_char(day, 'YYYYMMDD');
    IF to_regclass(format('%I', part)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF "DeliveryEvent" FOR VALUES FROM (%L) TO (%L)',
        part, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END
$$;

-- Every day the stored rows cover (older than the retention too: the retention job drops those
-- partitions later) and the window an import may bring: 90 days back (the default retention)
-- to a week ahead.
SELECT ensure_event_partitions(
  LEAST((SELECT (min("occurredAt") AT TIME ZONE 'UTC')::date FROM "DeliveryEvent_old"), (now() AT TIME ZONE 'UTC')::date - 90),
  GREATEST((SELECT (max("occurredAt") AT TIME ZONE 'UTC')::date FROM "DeliveryEvent_old"), (now() AT TIME ZONE 'UTC')::date + 7));

INSERT INTO "DeliveryEvent" ("id", "clientId", "source", "occurredAt", "receivedAt", "connectorId", "messageId", "sender", "recipient",
  "recipientDomain", "status", "smtpStatus", "errorCode", "errorDetails", "destination")
SELECT "id", "clientId", "source", "occurredAt", "receivedAt", "connectorId", "messageId", "sender", "recipient",
  "recipientDomain", "status", "smtpStatus", "errorCode", "errorDetails", "destination"
FROM "DeliveryEvent_old";

-- CreateTable
CREATE TABLE "EventClientId" (
    "clientId" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EventClientId_pkey" PRIMARY KEY ("clientId")
);

INSERT INTO "EventClientId" ("clientId", "occurredAt")
SELECT "clientId", "occurredAt" FROM "DeliveryEvent_old" WHERE "clientId" IS NOT NULL;

-- The id sequence goes to the new table (its ids all came from it, so it is past every one), then the old table goes.
ALTER SEQUENCE "DeliveryEvent_id_seq" OWNED BY "DeliveryEvent"."id";
ALTER TABLE "DeliveryEvent" ALTER COLUMN "id" SET DEFAULT nextval('"DeliveryEvent_id_seq"');
DROP TABLE "DeliveryEvent_old";

-- Keys and indexes on the parent (each partition gets its own copy), built after the rows moved.
ALTER TABLE "DeliveryEvent" ADD CONSTRAINT "DeliveryEvent_pkey" PRIMARY KEY ("id", "occurredAt");

-- CreateIndex
CREATE INDEX "DeliveryEvent_connectorId_occurredAt_idx" ON "DeliveryEvent"("connectorId", "occurredAt");

-- CreateIndex
CREATE INDEX "DeliveryEvent_connectorId_errorCode_occurredAt_idx" ON "DeliveryEvent"("connectorId", "errorCode", "occurredAt");

-- AddForeignKey
ALTER TABLE "DeliveryEvent" ADD CONSTRAINT "DeliveryEvent_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "EventClientId_occurredAt_idx" ON "EventClientId"("occurredAt");

-- CreateIndex
CREATE INDEX "QueuedMessage_settledAt_idx" ON "QueuedMessage"("settledAt");

-- CreateIndex
CREATE INDEX "EventHourlyCount_hour_idx" ON "EventHourlyCount"("hour");

-- CreateTable
CREATE TABLE "FoldCheckpoint" (
    "connectorId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "state" JSONB NOT NULL,

    CONSTRAINT "FoldCheckpoint_pkey" PRIMARY KEY ("connectorId", "at")
);

-- AddForeignKey
ALTER TABLE "FoldCheckpoint" ADD CONSTRAINT "FoldCheckpoint_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
