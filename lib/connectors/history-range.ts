import { MAX_HISTORY_BUCKETS, MAX_HISTORY_DAYS, type HistoryBucket } from "@/lib/connectors/schemas";
import { badRequest } from "@/lib/http/errors";

// The time range of a connector history: defaults, limits and the buckets it is cut into (UTC).
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BUCKET_MS: Record<HistoryBucket, number> = { hour: HOUR_MS, day: DAY_MS };

export type HistoryRange = { from: Date; to: Date; bucket: HistoryBucket };

export function resolveHistoryRange(input: { from?: string; to?: string; bucket: HistoryBucket }, now: Date): HistoryRange {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
  if (from.getTime() >= to.getTime()) throw rangeError("from", "must be before to");
  if (to.getTime() - from.getTime() > MAX_HISTORY_DAYS * DAY_MS) throw rangeError("from", `the range may span at most ${MAX_HISTORY_DAYS} days`);
  const count = bucketStarts(from, to, input.bucket).length;
  if (count > MAX_HISTORY_BUCKETS) {
    throw rangeError("bucket", `the range has ${count} ${input.bucket} buckets; at most ${MAX_HISTORY_BUCKETS} are served, use bucket=day`);
  }
  return { from, to, bucket: input.bucket };
}

/** The UTC start of every bucket that overlaps [from, to). */
export function bucketStarts(from: Date, to: Date, bucket: HistoryBucket): Date[] {
  const size = BUCKET_MS[bucket];
  const starts: Date[] = [];
  for (let t = Math.floor(from.getTime() / size) * size; t < to.getTime(); t += size) starts.push(new Date(t));
  return starts;
}

/** Dense series: every bucket of the range, with zero counts where nothing happened. */
export function fillBuckets(
  range: HistoryRange,
  rows: readonly { start: Date; code: string; count: number }[],
): { start: string; counts: Record<string, number> }[] {
  const byStart = new Map<number, Record<string, number>>();
  for (const row of rows) {
    const counts = byStart.get(row.start.getTime()) ?? {};
    counts[row.code] = (counts[row.code] ?? 0) + row.count;
    byStart.set(row.start.getTime(), counts);
  }
  return bucketStarts(range.from, range.to, range.bucket).map((start) => ({
    start: start.toISOString(),
    counts: byStart.get(start.getTime()) ?? {},
  }));
}

/** Codes in a stable order for the chart's legend: "delivered" first, then by code. */
export function seriesCodes(rows: readonly { code: string }[]): string[] {
  const codes = [...new Set(rows.map((r) => r.code))];
  return codes.sort((a, b) => (a === "delivered" ? -1 : b === "delivered" ? 1 : a.localeCompare(b)));
}

function rangeError(field: string, message: string) {
  return badRequest(`Invalid ${field}: ${message}.`, [{ field, message }]);
}

/** The ranges the history page offers, newest data at the right edge. */
export const HISTORY_RANGES = ["24h", "7d", "30d"] as const;
export type HistoryRangeName = (typeof HISTORY_RANGES)[number];

const RANGE_SPANS: Record<HistoryRangeName, { ms: number; bucket: HistoryBucket }> = {
  "24h": { ms: DAY_MS, bucket: "hour" },
  "7d": { ms: 7 * DAY_MS, bucket: "hour" },
  "30d": { ms: 30 * DAY_MS, bucket: "day" },
};

export function isHistoryRangeName(value: unknown): value is HistoryRangeName {
  return (HISTORY_RANGES as readonly unknown[]).includes(value);
}

/** The API query of a named range ending now. */
export function namedRangeQuery(name: HistoryRangeName, now: Date): { from: string; to: string; bucket: HistoryBucket } {
  const span = RANGE_SPANS[name];
  return { from: new Date(now.getTime() - span.ms).toISOString(), to: now.toISOString(), bucket: span.bucket };
}
