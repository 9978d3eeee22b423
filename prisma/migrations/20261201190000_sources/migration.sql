-- Real sources (docs/sources.md): an MTA reports that it gave up on a message (EXPIRED), each
-- connector has the queue lifetime of the MTA behind it, and each source keeps its read position
-- and correlation state with the events it produced.

-- AlterEnum
ALTER TYPE "EventStatus" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "queueLifetimeMinutes" INTEGER NOT NULL DEFAULT 1440;

-- CreateTable
CREATE TABLE "EventSource" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT,
    "fileId" TEXT,
    "headHash" TEXT,
    "offset" BIGINT NOT NULL DEFAULT 0,
    "state" JSONB NOT NULL DEFAULT '{}',
    "following" BOOLEAN NOT NULL DEFAULT false,
    "linesRead" BIGINT NOT NULL DEFAULT 0,
    "eventsMade" BIGINT NOT NULL DEFAULT 0,
    "skipped" JSONB NOT NULL DEFAULT '{}',
    "lastLineAt" TIMESTAMPTZ(3),
    "lastReadAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "silentSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EventSource_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EventSource_kind_name_key" ON "EventSource"("kind", "name");
