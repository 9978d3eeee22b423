-- Validate connector (docs/probe.md): demo connectors are never probed; every validation is kept.

-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false;

-- The demo organisation's connectors, loaded before this column existed, are recognised by their
-- names and made-up smart hosts together (lib/demo/organisation.ts).
UPDATE "Connector" SET "demo" = true
WHERE ("name", "smartHosts") IN (
  ('To on-premises Exchange', ARRAY['mail.contoso-nordic.se']),
  ('To Fabrikam Archive (journaling)', ARRAY['smtp.vault.fabrikam-archive.com']),
  ('To Northwind Payroll', ARRAY['mx.northwind-payroll.se']),
  ('To Contoso Oy (Finland)', ARRAY['relay1.contoso.fi', 'relay2.contoso.fi'])
);

-- CreateTable
CREATE TABLE "ConnectorValidation" (
    "id" SERIAL NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "recipient" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "errorCode" TEXT,
    "summary" TEXT,
    "targets" JSONB NOT NULL,
    "certExpiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConnectorValidation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConnectorValidation_connectorId_startedAt_idx" ON "ConnectorValidation"("connectorId", "startedAt" DESC);

-- AddForeignKey
ALTER TABLE "ConnectorValidation" ADD CONSTRAINT "ConnectorValidation_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
