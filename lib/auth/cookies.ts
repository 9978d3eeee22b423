// better-auth's cookie prefix, shared by lib/auth/auth.ts and the proxy's cheap presence check.
export const COOKIE_PREFIX = "mailflow";
