import "server-only";
import type { Db } from "@/lib/db/client";
import { decideAttempt, throttleKey, type ThrottleRules } from "@/lib/auth/throttle";

// The database side of lib/auth/throttle.ts: one row per account, locked while deciding, so
// concurrent attempts on one account are counted one after the other.

/** Counts an attempt; returns 0 when it may go ahead, else the seconds to wait. */
export async function reserveSignInAttempt(db: Db, email: string, rules: ThrottleRules, now = new Date()): Promise<number> {
  const key = throttleKey(email);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "LoginThrottle" (key, failures, "lastFailureAt") VALUES (${key}, 0, ${now}) ON CONFLICT (key) DO NOTHING`;
    const [state] = await tx.$queryRaw<{ failures: number; lastFailureAt: Date }[]>`
      SELECT failures, "lastFailureAt" FROM "LoginThrottle" WHERE key = ${key} FOR UPDATE`;
    // A parallel attempt that read the clock earlier may get the lock later: time never runs
    // backwards for one account, or it would wait for a failure "in its future".
    const at = state && state.lastFailureAt > now ? state.lastFailureAt : now;
    const decision = decideAttempt(state ?? null, rules, at);
    if (!decision.allowed) return decision.retryAfterSeconds;
    await tx.loginThrottle.update({ where: { key }, data: decision.next });
    return 0;
  });
}

/** A successful sign-in clears the account's failures. */
export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: throttleKey(email) } });
}
