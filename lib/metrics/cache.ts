// Pure: one value reused for a while, so many scrapes (several Prometheus servers, a dashboard
// refreshing) cost the database one read per period. A load in flight is shared too; a failed
// load is forgotten at once, so the next scrape tries again.

export type ReusedValue<T> = {
  /** The value loaded for `key` less than `maxAgeMs` ago (or being loaded), else a new `load()`. */
  get(key: object, maxAgeMs: number, load: () => Promise<T>): Promise<T>;
};

export function reusedValue<T>(clock: () => number = Date.now): ReusedValue<T> {
  let entry: { key: object; at: number; value: Promise<T> } | null = null;
  return {
    get(key, maxAgeMs, load) {
      const now = clock();
      if (entry && entry.key === key && now - entry.at < maxAgeMs) return entry.value;
      const mine = { key, at: now, value: load() };
      entry = mine;
      mine.value.catch(() => {
        if (entry === mine) entry = null;
      });
      return mine.value;
    },
  };
}
