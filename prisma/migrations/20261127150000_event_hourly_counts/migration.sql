-- CreateTable
CREATE TABLE "EventHourlyCount" (
    "connectorId" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "code" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "EventHourlyCount_pkey" PRIMARY KEY ("connectorId","hour","code")
);

-- AddForeignKey
ALTER TABLE "EventHourlyCount" ADD CONSTRAINT "EventHourlyCount_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
