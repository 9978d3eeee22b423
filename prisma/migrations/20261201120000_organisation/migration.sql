-- CreateEnum
CREATE TYPE "TenantSync" AS ENUM ('PENDING', 'CONFIRMED');

-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "retiredAt" TIMESTAMPTZ(3),
ADD COLUMN     "retiredBy" TEXT;

-- AlterTable
ALTER TABLE "Remediation" ADD COLUMN     "tenantCheckedAt" TIMESTAMPTZ(3),
ADD COLUMN     "tenantState" "TenantSync" NOT NULL DEFAULT 'PENDING';

-- CreateTable
CREATE TABLE "OrgImport" (
    "id" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "files" TEXT[],
    "tenant" JSONB NOT NULL,
    "preview" JSONB NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "appliedBy" TEXT,
    "appliedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OrgImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrgImport_createdAt_idx" ON "OrgImport"("createdAt");
