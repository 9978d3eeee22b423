// Pure: when a notification that could not be delivered is tried again. The waits grow from 30 s
// to 6 h; a notification first tried more than a day ago is given up, so every failing
// notification is tried about a dozen times over one day and then shown as given up.

const WAITS_MS = [30_000, 120_000, 600_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000];
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** The next try after failed attempt number `attempts` (1 for the first), or null: give up. */
export function nextAttemptAt(attempts: number, firstAttemptAt: Date, now: Date): Date | null {
  const wait = WAITS_MS[Math.max(1, Math.min(attempts, WAITS_MS.length)) - 1] ?? 30_000;
  const deadline = firstAttemptAt.getTime() + GIVE_UP_AFTER_MS;
  if (now.getTime() >= deadline) return null;
  // The last try falls on the day's end rather than past it.
  return new Date(Math.min(now.getTime() + wait, deadline));
}
