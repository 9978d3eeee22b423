import "server-only";
import type { SqlTx } from "@/lib/db/sql";
import { CERT_EXPIRY_CODE } from "@/lib/grouping/event";
import type { CertificateObservation } from "@/lib/probe/observations";

// The certificate-expiry warning (docs/probe.md): the state of a connector's certificate, kept by
// the probe beside the fold, in the validation's transaction. A certificate expiring within
// CERT_WARN_DAYS opens the connector's warning, or continues the open one (latest host,
// certificate and date); a validation whose soonest certificate expires later (renewed) resolves
// it. MEDIUM within a week of the date, else LOW. A warning after a resolved one links to it as
// a regression, as the fold's alerts do.

const WEEK_MS = 7 * 86_400_000;

export async function applyCertificateObservation(tx: SqlTx, connectorId: number, seen: CertificateObservation, at: Date): Promise<void> {
  const [open] = await tx.$queryRawUnsafe<{ id: number }[]>(
    `SELECT id FROM "Alert" WHERE "connectorId" = $1 AND "errorCode" = $2 AND "resolvedAt" IS NULL ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    connectorId,
    CERT_EXPIRY_CODE,
  );
  if (!seen.expiring) {
    if (!open) return;
    await tx.$executeRawUnsafe(
      `UPDATE "Alert" SET "recoveredAt" = $2, "resolvedAt" = $2, "resolvedReason" = 'renewed',
         status = CASE WHEN status = 'DISMISSED' THEN status ELSE 'RESOLVED' END, "snoozedUntil" = NULL, "snoozedQueued" = NULL, "updatedAt" = now()
       WHERE id = $1`,
      open.id,
      at,
    );
    return;
  }
  const severity = seen.validTo.getTime() - at.getTime() <= WEEK_MS ? "MEDIUM" : "LOW";
  if (open) {
    await tx.$executeRawUnsafe(
      `UPDATE "Alert" SET "eventCount" = "eventCount" + 1, "lastSeenAt" = GREATEST("lastSeenAt", $2), "latestEventAt" = $2,
         "latestDetails" = $3, "latestDestination" = $4, severity = GREATEST(severity, $5::"Severity"), "updatedAt" = now()
       WHERE id = $1`,
      open.id,
      at,
      seen.details,
      seen.host,
      severity,
    );
    return;
  }
  await tx.$executeRawUnsafe(
    `INSERT INTO "Alert" ("connectorId", "errorCode", status, severity, "firstSeenAt", "lastSeenAt", "eventCount", "latestDetails",
       "latestDestination", "latestEventAt", "regressionOfId", "updatedAt")
     VALUES ($1, $2, 'ACTIVE', $3::"Severity", $4, $4, 1, $5, $6, $4,
       (SELECT id FROM "Alert" WHERE "connectorId" = $1 AND "errorCode" = $2 ORDER BY "firstSeenAt" DESC, id DESC LIMIT 1), now())`,
    connectorId,
    CERT_EXPIRY_CODE,
    severity,
    at,
    seen.details,
    seen.host,
  );
}
