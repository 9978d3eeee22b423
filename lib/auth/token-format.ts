import { createHash, randomBytes } from "node:crypto";

// Ingest tokens: "mf_" and 32 random bytes in base64url. Only the SHA-256 is stored (a token
// has 256 bits of entropy, so a fast hash is enough); the prefix tells tokens apart in lists.
export const TOKEN_PREFIX = "mf_";
const PREFIX_LENGTH = TOKEN_PREFIX.length + 6;

export function generateToken(): { token: string; prefix: string; hash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, prefix: token.slice(0, PREFIX_LENGTH), hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The token of an `Authorization: Bearer …` header, or null when it is missing or malformed. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header?.trim() ?? "");
  return match?.[1] ?? null;
}
