import type { Db } from "@/lib/db/client";

// A fingerprint of all stored data: row count and an md5 of every row per table, so a test can
// prove a refused request changed nothing. ApiToken.lastUsedAt is left out: a valid token with
// a refused body is still "used". Sessions and sign-in throttles are not product data.
const TABLES = ["Connector", "AcceptedDomain", "DeliveryEvent", "QueuedMessage", "Alert", "Remediation", "AuditEntry", "User", "Account"] as const;

export async function snapshotData(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint; h: string | null }[]>(
      `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM "${table}" t`,
    );
    out[table] = `${row!.n}:${row!.h ?? ""}`;
  }
  const [tokens] = await db.$queryRawUnsafe<{ n: bigint; h: string | null }[]>(
    `SELECT count(*) AS n, md5(string_agg(concat_ws(',', id, name, "tokenHash", "revokedAt"), '|' ORDER BY id)) AS h FROM "ApiToken"`,
  );
  out.ApiToken = `${tokens!.n}:${tokens!.h ?? ""}`;
  return out;
}
