-- Message trace (docs/trace.md): one row per connector, message and recipient, kept by ingest
-- (lib/events/store.ts insertEvents) in the same statement as the events.

-- CreateTable
CREATE TABLE "TraceMessage" (
    "id" BIGSERIAL NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "recipient" TEXT NOT NULL DEFAULT '',
    "recipientDomain" TEXT,
    "sender" TEXT,
    "source" TEXT NOT NULL,
    "firstAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "lastStatus" "EventStatus" NOT NULL,
    "lastCode" TEXT,
    "lastCodeAt" TIMESTAMPTZ(3),

    CONSTRAINT "TraceMessage_pkey" PRIMARY KEY ("id")
);

-- Backfill from the stored events (probe observations are not mail). The latest attempt is the
-- last in the fold's order: time, then a deferral, a failure, an expiry, a delivery (lib/grouping/event.ts).
INSERT INTO "TraceMessage" ("connectorId", "messageId", "recipient", "recipientDomain", "sender", "source", "firstAttemptAt",
  "lastAttemptAt", "attempts", "lastStatus", "lastCode", "lastCodeAt")
SELECT e."connectorId", e."messageId", COALESCE(e."recipient", ''), min(e."recipientDomain"),
       (array_agg(e."sender" ORDER BY e."occurredAt", e."id") FILTER (WHERE e."sender" IS NOT NULL))[1],
       (array_agg(e."source" ORDER BY e."occurredAt" DESC, array_position(ARRAY['DEFERRED','FAILED','EXPIRED','DELIVERED'], e."status"::text) DESC, e."id" DESC))[1],
       min(e."occurredAt"), max(e."occurredAt"), count(*)::int,
       (array_agg(e."status" ORDER BY e."occurredAt" DESC, array_position(ARRAY['DEFERRED','FAILED','EXPIRED','DELIVERED'], e."status"::text) DESC, e."id" DESC))[1],
       (array_agg(e."errorCode" ORDER BY e."occurredAt" DESC, e."id" DESC) FILTER (WHERE e."errorCode" IS NOT NULL))[1],
       max(e."occurredAt") FILTER (WHERE e."errorCode" IS NOT NULL)
FROM "DeliveryEvent" e
WHERE e."source" <> 'probe'
GROUP BY e."connectorId", e."messageId", COALESCE(e."recipient", '');

-- CreateIndex
CREATE UNIQUE INDEX "TraceMessage_messageId_recipient_connectorId_key" ON "TraceMessage"("messageId", "recipient", "connectorId");

-- CreateIndex
CREATE INDEX "TraceMessage_firstAttemptAt_id_idx" ON "TraceMessage"("firstAttemptAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "TraceMessage_sender_firstAttemptAt_id_idx" ON "TraceMessage"("sender", "firstAttemptAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "TraceMessage_recipient_firstAttemptAt_id_idx" ON "TraceMessage"("recipient", "firstAttemptAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "TraceMessage_recipientDomain_firstAttemptAt_id_idx" ON "TraceMessage"("recipientDomain", "firstAttemptAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "TraceMessage_lastCode_firstAttemptAt_id_idx" ON "TraceMessage"("lastCode", "firstAttemptAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "TraceMessage" ADD CONSTRAINT "TraceMessage_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
