import "server-only";
import { SYSTEM_ACTOR, writeAudit } from "@/lib/audit/write";
import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";

// Silence is not health (docs/sources.md): a followed source that has read no line for longer
// than SOURCE_SILENCE_MINUTES raises its own alert (EventSource.silentSince, shown on the alerts
// page and the Sources page, audited as source.silent); it resolves when lines flow again
// (source.resumed, written by the reader in the transaction of the lines it read: lib/sources/postfix/follow.ts). A source's silence is about the source, not one connector, so it is not a
// connector's alert row.

export type SilenceChange = { id: number; name: string; change: "silent" | "resumed"; since: Date };

/**
 * Marks followed sources silent whose last line (or, never having read one, their start) is
 * older than `minutes`, and ends the silence of those that read again. Returns what changed.
 */
export async function checkSilence(db: Db, minutes: number, now = new Date()): Promise<SilenceChange[]> {
  return withSqlTransaction(poolOf(db), async (tx) => {
    const silent = await tx.$queryRawUnsafe<{ id: number; name: string; since: Date }[]>(
      `UPDATE "EventSource" SET "silentSince" = COALESCE("lastReadAt", "createdAt"), "updatedAt" = now()
       WHERE following AND "silentSince" IS NULL AND COALESCE("lastReadAt", "createdAt") < $1::timestamptz - make_interval(mins => $2::int)
       RETURNING id, name, "silentSince" AS since`,
      now,
      minutes,
    );
    const changes: SilenceChange[] = silent.map((s) => ({ ...s, change: "silent" }));
    await writeAudit(
      tx,
      SYSTEM_ACTOR,
      changes.map((c) => ({ action: "source.silent", targetType: "source", targetId: c.id, after: { name: c.name, lastLineReadAt: c.since.toISOString(), thresholdMinutes: minutes } })),
      now,
    );
    return changes;
  });
}
