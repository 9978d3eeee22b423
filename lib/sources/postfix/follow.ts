import "server-only";
import { stat } from "node:fs/promises";
import path from "node:path";
import { SYSTEM_ACTOR, writeAudit } from "@/lib/audit/write";
import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction, type SqlTx } from "@/lib/db/sql";
import { ingestInTransaction } from "@/lib/events/ingest";
import { DEFAULT_CHUNK_BYTES, readLogChunk, START, type LogPosition } from "@/lib/sources/log-file";
import { newPostfixState, readPostfixLines, type PostfixState } from "@/lib/sources/postfix/correlate";
import { startYearClock } from "@/lib/sources/postfix/line";
import { postfixRouter, type PostfixConnector } from "@/lib/sources/postfix/route";
import { mergeSkipped, type SkipCounts } from "@/lib/sources/skipped";

// Reading a Postfix log into events, exactly once (docs/sources.md). Each chunk of whole lines is
// one transaction: the source's row is locked, the lines are read from its committed position,
// correlated from its committed state, ingested, and the new position, file identity, state and
// counts are written, all committed together. A crash (kill -9) at any moment rolls back to the
// last commit, so the next run reads the same lines from the same state again: nothing is lost,
// nothing repeated. The row lock serialises two readers of one file (the app's follower and the
// command line); the events' client ids also make a second read of a copied file add nothing.

export const POSTFIX_KIND = "postfix";
export const POSTFIX_SOURCE = "postfix";

export type PostfixReadOptions = {
  /** Bytes per chunk (one transaction). */
  chunkBytes?: number;
  /** Chunks per call at most (a follower's run stays short); unbounded when absent. */
  maxChunks?: number;
  signal?: AbortSignal;
  /** IANA zone of time stamps that write none; the process's by default. */
  timeZone?: string;
  now?: () => Date;
  /** After each committed chunk: bytes read of the file's size so far. */
  onChunk?: (progress: { offset: number; size: number; lines: number; events: number }) => void;
};

export type PostfixReadSummary = {
  lines: number;
  events: number;
  duplicates: number;
  skipped: SkipCounts;
  chunks: number;
  rotations: number;
  /** Nothing more to read when it returned. */
  atEnd: boolean;
  warning: string | null;
};

type SourceRow = { id: number; fileId: string | null; headHash: string | null; offset: string; state: Partial<PostfixState>; silentSince: Date | null };

/** Reads the log at `file` from where the last read committed, until its end (or `maxChunks`). */
export async function readPostfixLog(db: Db, file: string, options: PostfixReadOptions = {}): Promise<PostfixReadSummary> {
  const name = path.resolve(file);
  const summary: PostfixReadSummary = { lines: 0, events: 0, duplicates: 0, skipped: {}, chunks: 0, rotations: 0, atEnd: false, warning: null };
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const now = options.now ?? (() => new Date());
  await ensureSource(db, name);
  while (!options.signal?.aborted && (options.maxChunks === undefined || summary.chunks < options.maxChunks)) {
    const step = await withSqlTransaction(poolOf(db), (tx) => readOneChunk(tx, name, timeZone, now(), options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
    if (!step) {
      summary.atEnd = true;
      break;
    }
    summary.chunks += 1;
    summary.lines += step.lines;
    summary.events += step.accepted;
    summary.duplicates += step.duplicates;
    summary.skipped = mergeSkipped(summary.skipped, step.skipped);
    if (step.rotation) summary.rotations += 1;
    summary.warning = step.warning ?? summary.warning;
    options.onChunk?.({ offset: step.offset, size: step.size, lines: summary.lines, events: summary.events });
    if (step.atEnd) {
      summary.atEnd = true;
      break;
    }
  }
  return summary;
}

/**
 * One run of the app's follower (a lib/jobs job, so one instance reads): the followed log is
 * marked as followed (the only one: a log no longer followed is no longer watched for silence),
 * then read up to `maxChunks`; a read that fails is recorded on the source for the Sources page.
 */
export async function followPostfixLog(db: Db, file: string, options: PostfixReadOptions): Promise<PostfixReadSummary | null> {
  const name = path.resolve(file);
  await ensureSource(db, name);
  await db.$executeRaw`UPDATE "EventSource" SET following = (name = ${name}), "updatedAt" = now()
    WHERE kind = ${POSTFIX_KIND} AND following <> (name = ${name})`;
  try {
    return await readPostfixLog(db, file, options);
  } catch (error) {
    await recordSourceError(db, file, error);
    throw error;
  }
}

/** Records a read that failed before anything could be read (a missing file, no permission). */
export async function recordSourceError(db: Db, file: string, error: unknown): Promise<void> {
  const name = path.resolve(file);
  await ensureSource(db, name);
  const message = error instanceof Error ? error.message : String(error);
  await db.$executeRaw`UPDATE "EventSource" SET "lastError" = ${message}, "lastErrorAt" = now(), "updatedAt" = now()
    WHERE kind = ${POSTFIX_KIND} AND name = ${name}`;
}

async function ensureSource(db: Db, name: string): Promise<void> {
  await db.$executeRaw`INSERT INTO "EventSource" (kind, name, path, following, "updatedAt") VALUES (${POSTFIX_KIND}, ${name}, ${name}, false, now())
    ON CONFLICT (kind, name) DO NOTHING`;
}

/** One chunk in the caller's transaction; null when there was nothing new. */
async function readOneChunk(tx: SqlTx, name: string, timeZone: string, now: Date, chunkBytes: number) {
  const [row] = await tx.$queryRawUnsafe<SourceRow[]>(
    `SELECT id, "fileId", "headHash", "offset"::text AS "offset", state, "silentSince" FROM "EventSource" WHERE kind = $1 AND name = $2 FOR UPDATE`,
    POSTFIX_KIND,
    name,
  );
  if (!row) throw new Error(`the source ${name} disappeared while it was read`);
  const position: LogPosition = row.fileId ? { fileId: row.fileId, headHash: row.headHash, offset: Number(row.offset) } : START;
  const chunk = await readLogChunk(name, position, chunkBytes);
  const moved = chunk.next.fileId !== position.fileId || chunk.next.offset !== position.offset || chunk.next.headHash !== position.headHash;
  if (chunk.lines.length === 0 && chunk.oversized === 0 && !moved) return null;

  const state = row.state.version === 1 ? (row.state as PostfixState) : newPostfixState(startYearClock((await stat(name)).mtime));
  const route = postfixRouter(await routingConnectors(tx));
  const read = readPostfixLines(chunk.lines, state, { route, timeZone });
  const result = await ingestInTransaction(tx, read.events, { source: POSTFIX_SOURCE, now });
  const skipped = mergeSkipped(read.skipped, chunk.oversized > 0 ? { "too long": chunk.oversized } : {}, rejections(result.rejected));
  await tx.$executeRawUnsafe(
    `UPDATE "EventSource" SET "fileId" = $2, "headHash" = $3, "offset" = $4::bigint, state = $5::jsonb,
       "linesRead" = "linesRead" + $6, "eventsMade" = "eventsMade" + $7,
       skipped = (SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
         SELECT k, sum(v::bigint) AS v FROM (SELECT * FROM jsonb_each_text(skipped) UNION ALL SELECT * FROM jsonb_each_text($8::jsonb)) s(k, v) GROUP BY k) t),
       "lastLineAt" = GREATEST("lastLineAt", $9::timestamptz),
       "lastReadAt" = CASE WHEN $6 > 0 THEN $10::timestamptz ELSE "lastReadAt" END,
       "silentSince" = CASE WHEN $6 > 0 THEN NULL ELSE "silentSince" END,
       "lastError" = COALESCE($11, CASE WHEN $6 > 0 THEN NULL ELSE "lastError" END),
       "lastErrorAt" = CASE WHEN $11 IS NOT NULL THEN $10::timestamptz WHEN $6 > 0 THEN NULL ELSE "lastErrorAt" END,
       "updatedAt" = now()
     WHERE id = $1`,
    row.id, chunk.next.fileId, chunk.next.headHash, chunk.next.offset, JSON.stringify(read.state),
    chunk.lines.length + chunk.oversized, result.accepted, JSON.stringify(skipped), read.lastLineAt, now, chunk.warning,
  );
  // Lines flow again: the source's silence ends (lib/sources/silence.ts).
  if (row.silentSince && chunk.lines.length > 0) {
    await writeAudit(tx, SYSTEM_ACTOR, [{ action: "source.resumed", targetType: "source", targetId: row.id, before: { name, silentSince: row.silentSince.toISOString() } }], now);
  }
  const size = (await stat(chunk.readFrom)).size;
  return {
    lines: chunk.lines.length + chunk.oversized, accepted: result.accepted, duplicates: result.duplicates, skipped,
    rotation: chunk.rotation, warning: chunk.warning, atEnd: chunk.atEnd, offset: chunk.next.offset, size,
  };
}

async function routingConnectors(tx: SqlTx): Promise<PostfixConnector[]> {
  const rows = await tx.$queryRawUnsafe<{ id: number; enabled: boolean; retiredAt: Date | null; recipientDomains: string[]; smartHosts: string[] }[]>(
    `SELECT id, enabled, "retiredAt", "recipientDomains", "smartHosts" FROM "Connector" ORDER BY id`,
  );
  return rows.map((r) => ({ id: r.id, enabled: r.enabled, retired: r.retiredAt !== null, recipientDomains: r.recipientDomains, smartHosts: r.smartHosts }));
}

/** Events ingest refused (a retired connector, a time in the future…), counted by their reason. */
function rejections(rejected: readonly { field: string; message: string }[]): SkipCounts {
  const counts: SkipCounts = {};
  for (const r of rejected) {
    const reason = `refused: ${r.field} ${r.message}`.slice(0, 120);
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}
