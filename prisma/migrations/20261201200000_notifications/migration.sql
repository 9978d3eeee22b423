-- Notifications (docs/notifications.md): channels, rules, maintenance windows, the outbox of
-- alert transitions written by triggers in the changing transaction, and the notifications.

-- CreateEnum
CREATE TYPE "NotificationState" AS ENUM ('PENDING', 'RETRYING', 'DELIVERED', 'GIVEN_UP', 'SUPPRESSED');

-- CreateTable
CREATE TABLE "NotificationChannel" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "secret" TEXT,
    "secretHint" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationRule" (
    "id" SERIAL NOT NULL,
    "channelId" INTEGER NOT NULL,
    "triggers" TEXT[],
    "codes" TEXT[],
    "connectorIds" INTEGER[],
    "severities" TEXT[],
    "dailyLimit" INTEGER NOT NULL DEFAULT 100,
    "groupMinutes" INTEGER NOT NULL DEFAULT 5,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintenanceWindow" (
    "id" SERIAL NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaintenanceWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertTransition" (
    "id" BIGSERIAL NOT NULL,
    "alertId" INTEGER NOT NULL,
    "remediationId" INTEGER,
    "kind" TEXT NOT NULL,
    "txid" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "oldSeverity" TEXT,
    "severity" TEXT NOT NULL,
    "oldResolved" BOOLEAN NOT NULL DEFAULT false,
    "resolved" BOOLEAN NOT NULL,
    "oldExpiredCount" INTEGER NOT NULL DEFAULT 0,
    "expiredCount" INTEGER NOT NULL,
    "regressionOfId" INTEGER,
    "routedAt" TIMESTAMPTZ(3),
    "routedNote" TEXT,

    CONSTRAINT "AlertTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "channelId" INTEGER NOT NULL,
    "ruleId" INTEGER,
    "trigger" TEXT NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "errorCode" TEXT NOT NULL,
    "alertIds" INTEGER[],
    "payload" JSONB NOT NULL,
    "state" "NotificationState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NotificationChannel_name_key" ON "NotificationChannel"("name");
CREATE INDEX "NotificationRule_channelId_idx" ON "NotificationRule"("channelId");
CREATE INDEX "MaintenanceWindow_connectorId_startsAt_idx" ON "MaintenanceWindow"("connectorId", "startsAt");
CREATE INDEX "AlertTransition_routedAt_id_idx" ON "AlertTransition"("routedAt", "id");
CREATE INDEX "AlertTransition_alertId_idx" ON "AlertTransition"("alertId");
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");
CREATE INDEX "Notification_state_nextAttemptAt_idx" ON "Notification"("state", "nextAttemptAt");
CREATE INDEX "Notification_channelId_connectorId_errorCode_trigger_createdAt_idx" ON "Notification"("channelId", "connectorId", "errorCode", "trigger", "createdAt");
CREATE INDEX "Notification_ruleId_createdAt_idx" ON "Notification"("ruleId", "createdAt");
CREATE INDEX "Notification_createdAt_id_idx" ON "Notification"("createdAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "NotificationRule" ADD CONSTRAINT "NotificationRule_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MaintenanceWindow" ADD CONSTRAINT "MaintenanceWindow_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AlertTransition" ADD CONSTRAINT "AlertTransition_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The outbox: whoever changes an alert (the fold, the sweep, the certificate warning, an admin's
-- action), the change that may notify is written in the same transaction. Only changes of
-- severity, resolution, expired count or regression link write a row, so a replay that rebuilds
-- the same values writes nothing; the router merges the rows of one alert in one transaction
-- (txid) from the first old values to the last new ones.
CREATE FUNCTION "notify_alert_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "AlertTransition" ("alertId", "kind", "txid", "oldSeverity", "severity", "oldResolved", "resolved",
      "oldExpiredCount", "expiredCount", "regressionOfId")
    VALUES (NEW.id, 'inserted', txid_current(), NULL, NEW.severity::text, false, NEW."resolvedAt" IS NOT NULL,
      0, NEW."expiredCount", NEW."regressionOfId");
  ELSIF OLD.severity IS DISTINCT FROM NEW.severity
     OR (OLD."resolvedAt" IS NULL) <> (NEW."resolvedAt" IS NULL)
     OR OLD."expiredCount" IS DISTINCT FROM NEW."expiredCount"
     OR OLD."regressionOfId" IS DISTINCT FROM NEW."regressionOfId" THEN
    INSERT INTO "AlertTransition" ("alertId", "kind", "txid", "oldSeverity", "severity", "oldResolved", "resolved",
      "oldExpiredCount", "expiredCount", "regressionOfId")
    VALUES (NEW.id, 'changed', txid_current(), OLD.severity::text, NEW.severity::text, OLD."resolvedAt" IS NOT NULL,
      NEW."resolvedAt" IS NOT NULL, OLD."expiredCount", NEW."expiredCount", NEW."regressionOfId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Alert_notify_insert" AFTER INSERT ON "Alert"
  FOR EACH ROW EXECUTE FUNCTION "notify_alert_transition"();
-- The condition is in the function, not a WHEN clause, so the trigger depends on no column.
CREATE TRIGGER "Alert_notify_update" AFTER UPDATE ON "Alert"
  FOR EACH ROW EXECUTE FUNCTION "notify_alert_transition"();

-- Fix now applied (a Remediation row) and undone (its undoneAt set).
CREATE FUNCTION "notify_remediation_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AlertTransition" ("alertId", "remediationId", "kind", "txid", "oldSeverity", "severity", "oldResolved", "resolved",
    "oldExpiredCount", "expiredCount", "regressionOfId")
  SELECT a.id, NEW.id, CASE WHEN TG_OP = 'INSERT' THEN 'fixnow.applied' ELSE 'fixnow.undone' END, txid_current(),
    a.severity::text, a.severity::text, a."resolvedAt" IS NOT NULL, a."resolvedAt" IS NOT NULL, a."expiredCount", a."expiredCount", a."regressionOfId"
  FROM "Alert" a WHERE a.id = NEW."alertId";
  RETURN NULL;
END $$;

CREATE TRIGGER "Remediation_notify_insert" AFTER INSERT ON "Remediation"
  FOR EACH ROW EXECUTE FUNCTION "notify_remediation_transition"();
CREATE TRIGGER "Remediation_notify_undo" AFTER UPDATE ON "Remediation"
  FOR EACH ROW WHEN (OLD."undoneAt" IS NULL AND NEW."undoneAt" IS NOT NULL)
  EXECUTE FUNCTION "notify_remediation_transition"();
