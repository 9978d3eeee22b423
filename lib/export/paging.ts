// Rows of an export from keyset pages: one page is read only when the rows of the one before are
// used up, so however large the export, memory holds one page, and each page is its own short
// read-only statement (no transaction held open while a slow client downloads).

/** Rows per page: large enough that round trips do not dominate, small enough to stay a few MB. */
export const EXPORT_BATCH_SIZE = 2000;

/**
 * Every row `fetchPage` gives, page after page: it is called with the key of the last row served
 * (undefined for the first page) and must answer rows after it in one total order. A short page
 * is the last.
 */
export async function* keysetRows<T, K>(
  fetchPage: (after: K | undefined, limit: number) => Promise<readonly T[]>,
  keyOf: (row: T) => K,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<T, void, undefined> {
  let after: K | undefined;
  for (;;) {
    const page = await fetchPage(after, batchSize);
    yield* page;
    const last = page.at(-1);
    if (page.length < batchSize || last === undefined) return;
    after = keyOf(last);
  }
}
