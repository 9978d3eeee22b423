// Pure: lines or rows a source skipped, counted by reason ({ "other program": 12, … }).

export type SkipCounts = Record<string, number>;

/** The sum of several counts, reason by reason. */
export function mergeSkipped(...counts: readonly Readonly<Partial<Record<string, number>>>[]): SkipCounts {
  const out: SkipCounts = {};
  for (const c of counts) {
    for (const [reason, n] of Object.entries(c)) if (n) out[reason] = (out[reason] ?? 0) + n;
  }
  return out;
}
