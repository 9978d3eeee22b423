import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { COOKIE_PREFIX } from "@/lib/auth/cookies";
import { clearSignInFailures, reserveSignInAttempt } from "@/lib/auth/login-throttle";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/schemas";
import { db as appDb, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";

// Sign-in with better-auth: email and password only (no sign-up: admins create users), argon2id
// hashes, sessions in the database with a fixed lifetime (never extended), and two rate limits
// on sign-in: better-auth's per address, ours per account (lib/auth/throttle.ts).
export const SIGN_IN_PATH = "/sign-in/email";
const DEV_SECRET = "mailflow-development-secret-not-for-production-use";

export function createAuth(db: Db) {
  const config = env();
  return betterAuth({
    appName: "Mailflow Intelligence",
    baseURL: config.AUTH_URL,
    secret: authSecret(),
    // The address the browser used; proxy.ts has already refused writes whose Origin differs.
    trustedOrigins: (request) => [config.AUTH_URL, request ? requestOrigin(request) : undefined].filter((o): o is string => !!o),
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(hash, password) },
    },
    session: { expiresIn: config.SESSION_HOURS * 3600, disableSessionRefresh: true },
    user: { additionalFields: { role: { type: "string", input: false, required: false, defaultValue: "VIEWER" } } },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 100,
      customRules: { [SIGN_IN_PATH]: { window: 60, max: config.LOGIN_MAX_PER_ADDRESS } },
    },
    advanced: { cookiePrefix: COOKIE_PREFIX },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const email = signInEmail(ctx.path, ctx.body);
        if (!email) return;
        const wait = await reserveSignInAttempt(db, email, { freeFailures: config.LOGIN_FREE_FAILURES });
        if (wait > 0) {
          throw new APIError(
            "TOO_MANY_REQUESTS",
            { code: "rate_limited", message: `Too many failed sign-ins for this account. Try again in ${wait} s.` },
            { "Retry-After": String(wait) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = signInEmail(ctx.path, ctx.body);
        if (email && ctx.context.newSession) await clearSignInFailures(db, email);
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { mailflowAuth?: Auth };

/** The app's one better-auth instance, on the cached database client. */
export function auth(): Auth {
  globalForAuth.mailflowAuth ??= createAuth(appDb());
  return globalForAuth.mailflowAuth;
}

function requestOrigin(request: Request): string | undefined {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return undefined;
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return `${proto}://${host}`;
}

function authSecret(): string {
  const { AUTH_SECRET, NODE_ENV } = env();
  if (AUTH_SECRET) return AUTH_SECRET;
  if (NODE_ENV === "production") throw new Error("AUTH_SECRET is not set: start the app with `npm start`, which provides one.");
  return DEV_SECRET;
}

/** The email of a sign-in attempt worth throttling; oversized values are refused by validation anyway. */
function signInEmail(path: string, body: unknown): string | null {
  if (path !== SIGN_IN_PATH) return null;
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === "string" && email.length > 0 && email.length <= 320 ? email : null;
}
