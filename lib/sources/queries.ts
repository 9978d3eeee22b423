import "server-only";
import { stat } from "node:fs/promises";
import type { Db } from "@/lib/db/client";

// What the Sources page shows of each source (docs/sources.md): its file and position, the time
// of its last line and how far behind it is, what it read and skipped, its last error, and
// whether it is followed and silent.

export type SourceView = {
  id: number;
  kind: string;
  name: string;
  path: string | null;
  following: boolean;
  offset: number;
  /** The followed file's size now; null when it is not there (or not a file source). */
  size: number | null;
  linesRead: number;
  eventsMade: number;
  skipped: { reason: string; count: number }[];
  lastLineAt: string | null;
  lastReadAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  silentSince: string | null;
  updatedAt: string;
};

/** Every source, followed ones first, then the most recently updated. */
export async function listSources(db: Db): Promise<SourceView[]> {
  const rows = await db.eventSource.findMany({ orderBy: [{ following: "desc" }, { updatedAt: "desc" }], take: 200 });
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      path: r.path,
      following: r.following,
      offset: Number(r.offset),
      size: r.path ? ((await stat(r.path).catch(() => null))?.size ?? null) : null,
      linesRead: Number(r.linesRead),
      eventsMade: Number(r.eventsMade),
      skipped: Object.entries((r.skipped ?? {}) as Record<string, number>)
        .map(([reason, count]) => ({ reason, count: Number(count) }))
        .sort((a, b) => b.count - a.count),
      lastLineAt: r.lastLineAt?.toISOString() ?? null,
      lastReadAt: r.lastReadAt?.toISOString() ?? null,
      lastError: r.lastError,
      lastErrorAt: r.lastErrorAt?.toISOString() ?? null,
      silentSince: r.silentSince?.toISOString() ?? null,
      updatedAt: r.updatedAt.toISOString(),
    })),
  );
}

/** Followed sources that are silent now: the alerts page shows each. */
export async function silentSources(db: Db): Promise<{ id: number; name: string; silentSince: string }[]> {
  const rows = await db.eventSource.findMany({ where: { following: true, silentSince: { not: null } }, select: { id: true, name: true, silentSince: true } });
  return rows.map((r) => ({ id: r.id, name: r.name, silentSince: r.silentSince!.toISOString() }));
}
