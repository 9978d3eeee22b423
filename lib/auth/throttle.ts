// The per-account sign-in limit, pure. Each attempt is counted as a failure before the password
// is checked (a success clears it), so parallel guesses cannot all slip through before the
// first failure is recorded. After `freeFailures` failures within the window, each further
// attempt waits: 30 s, then 1 min, 2 min… up to 15 min after the latest failure.
export type ThrottleState = Readonly<{ failures: number; lastFailureAt: Date }>;
export type ThrottleRules = Readonly<{ freeFailures: number }>;

export const THROTTLE_WINDOW_MS = 15 * 60_000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;

export type AttemptDecision =
  | { allowed: true; next: ThrottleState }
  | { allowed: false; retryAfterSeconds: number };

export function decideAttempt(state: ThrottleState | null, rules: ThrottleRules, now: Date): AttemptDecision {
  const fresh = !state || state.failures === 0 || now.getTime() - state.lastFailureAt.getTime() > THROTTLE_WINDOW_MS;
  if (fresh) return { allowed: true, next: { failures: 1, lastFailureAt: now } };
  const wait = state.lastFailureAt.getTime() + delayAfter(state.failures, rules) - now.getTime();
  if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) };
  return { allowed: true, next: { failures: state.failures + 1, lastFailureAt: now } };
}

/** How long after the latest failure the next attempt may start. */
export function delayAfter(failures: number, rules: ThrottleRules): number {
  if (failures < rules.freeFailures) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - rules.freeFailures), MAX_DELAY_MS);
}

/** Accounts are throttled by their normalised email, whether or not the account exists. */
export function throttleKey(email: string): string {
  return email.trim().toLowerCase();
}
