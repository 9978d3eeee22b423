-- CreateEnum
CREATE TYPE "ConnectorKind" AS ENUM ('ON_PREMISES', 'PARTNER');

-- CreateEnum
CREATE TYPE "TlsMode" AS ENUM ('OPPORTUNISTIC', 'ENCRYPTION_ONLY', 'CERTIFICATE_VALIDATION', 'DOMAIN_VALIDATION');

-- CreateEnum
CREATE TYPE "DomainType" AS ENUM ('AUTHORITATIVE', 'INTERNAL_RELAY', 'EXTERNAL_RELAY');

-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('DEFERRED', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "QueueState" AS ENUM ('QUEUED', 'DELIVERED', 'FAILED', 'EXPIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('ACTIVE', 'INVESTIGATING', 'SNOOZED', 'DISMISSED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- CreateTable
CREATE TABLE "Connector" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "comment" TEXT,
    "kind" "ConnectorKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "useMxRecord" BOOLEAN NOT NULL DEFAULT false,
    "smartHosts" TEXT[],
    "recipientDomains" TEXT[],
    "tlsMode" "TlsMode" NOT NULL DEFAULT 'OPPORTUNISTIC',
    "tlsDomain" TEXT,
    "foldedThrough" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AcceptedDomain" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "type" "DomainType" NOT NULL,
    "connectorId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AcceptedDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryEvent" (
    "id" BIGSERIAL NOT NULL,
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
    "destination" TEXT,

    CONSTRAINT "DeliveryEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QueuedMessage" (
    "id" BIGSERIAL NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "recipient" TEXT NOT NULL DEFAULT '',
    "sender" TEXT,
    "state" "QueueState" NOT NULL,
    "errorCode" TEXT,
    "alertId" INTEGER,
    "firstAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "settledAt" TIMESTAMPTZ(3),
    "ndrAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "QueuedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "errorCode" TEXT NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'ACTIVE',
    "severity" "Severity" NOT NULL DEFAULT 'MEDIUM',
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "messageCount" INTEGER NOT NULL DEFAULT 0,
    "queuedCount" INTEGER NOT NULL DEFAULT 0,
    "expiredCount" INTEGER NOT NULL DEFAULT 0,
    "oldestQueuedAt" TIMESTAMPTZ(3),
    "affectedDomains" TEXT[],
    "latestDetails" TEXT,
    "latestDestination" TEXT,
    "latestEventAt" TIMESTAMPTZ(3),
    "recoveredAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedReason" TEXT,
    "regressionOfId" INTEGER,
    "acknowledgedBy" TEXT,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "dismissedBy" TEXT,
    "dismissedReason" TEXT,
    "snoozedUntil" TIMESTAMPTZ(3),
    "snoozedQueued" INTEGER,
    "remediatedBy" TEXT,
    "remediatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Remediation" (
    "id" SERIAL NOT NULL,
    "alertId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "appliedBy" TEXT NOT NULL,
    "appliedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "undoneBy" TEXT,
    "undoneAt" TIMESTAMPTZ(3),
    "liveKey" INTEGER,

    CONSTRAINT "Remediation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "note" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Connector_name_key" ON "Connector"("name");

-- CreateIndex
CREATE UNIQUE INDEX "AcceptedDomain_name_key" ON "AcceptedDomain"("name");

-- CreateIndex
CREATE INDEX "AcceptedDomain_connectorId_idx" ON "AcceptedDomain"("connectorId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryEvent_clientId_key" ON "DeliveryEvent"("clientId");

-- CreateIndex
CREATE INDEX "DeliveryEvent_connectorId_occurredAt_idx" ON "DeliveryEvent"("connectorId", "occurredAt");

-- CreateIndex
CREATE INDEX "DeliveryEvent_connectorId_errorCode_occurredAt_idx" ON "DeliveryEvent"("connectorId", "errorCode", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "QueuedMessage_connectorId_messageId_recipient_key" ON "QueuedMessage"("connectorId", "messageId", "recipient");

-- CreateIndex
CREATE INDEX "QueuedMessage_alertId_state_expiresAt_idx" ON "QueuedMessage"("alertId", "state", "expiresAt");

-- CreateIndex
CREATE INDEX "QueuedMessage_connectorId_state_idx" ON "QueuedMessage"("connectorId", "state");

-- CreateIndex
CREATE INDEX "Alert_status_lastSeenAt_idx" ON "Alert"("status", "lastSeenAt" DESC);

-- CreateIndex
CREATE INDEX "Alert_connectorId_errorCode_firstSeenAt_idx" ON "Alert"("connectorId", "errorCode", "firstSeenAt");

-- CreateIndex
CREATE INDEX "Alert_errorCode_status_idx" ON "Alert"("errorCode", "status");

-- CreateIndex
CREATE INDEX "Alert_lastSeenAt_id_idx" ON "Alert"("lastSeenAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Remediation_liveKey_key" ON "Remediation"("liveKey");

-- CreateIndex
CREATE INDEX "Remediation_alertId_idx" ON "Remediation"("alertId");

-- CreateIndex
CREATE INDEX "AuditEntry_targetType_targetId_at_idx" ON "AuditEntry"("targetType", "targetId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- AddForeignKey
ALTER TABLE "AcceptedDomain" ADD CONSTRAINT "AcceptedDomain_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryEvent" ADD CONSTRAINT "DeliveryEvent_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueuedMessage" ADD CONSTRAINT "QueuedMessage_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueuedMessage" ADD CONSTRAINT "QueuedMessage_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_regressionOfId_fkey" FOREIGN KEY ("regressionOfId") REFERENCES "Alert"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Remediation" ADD CONSTRAINT "Remediation_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
