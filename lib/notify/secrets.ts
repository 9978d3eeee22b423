import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// A channel's secret (an SMTP URL with its password, a webhook URL) is stored as AES-256-GCM
// ciphertext under NOTIFY_SECRET_KEY, so the database alone does not reveal it; the tag makes a
// changed ciphertext fail to decrypt instead of yielding another URL. Pure: the key is passed in.

const VERSION = "v1";

/** Reads a 32-byte key written as 64 hex digits or base64 / base64url. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("NOTIFY_SECRET_KEY must be 32 bytes, written as 64 hex digits or base64.");
  return key;
}

export function newSecretKey(): string {
  return randomBytes(32).toString("base64url");
}

/** `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export function encryptSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** Throws when the key is wrong or the stored text was changed; the message never holds the secret. */
export function decryptSecret(stored: string, key: Buffer): string {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("The stored secret is not in a known format.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("The stored secret cannot be decrypted: NOTIFY_SECRET_KEY is not the key it was saved with, or it was changed.");
  }
}

/** What the UI shows instead of a saved secret: the URL's scheme and host, never a path, user or password. */
export function secretHint(plain: string): string {
  try {
    const url = new URL(plain);
    return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ""}/…`;
  } catch {
    return "…";
  }
}
