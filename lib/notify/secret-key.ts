import "server-only";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { env, setEnv } from "@/lib/env";
import { newSecretKey, parseSecretKey } from "@/lib/notify/secrets";

// NOTIFY_SECRET_KEY encrypts channels' secrets (lib/notify/secrets.ts). When it is not configured,
// npm start makes one and keeps it in .data (readable by the owner only), as it does AUTH_SECRET:
// losing the file loses the saved secrets (re-enter them), not the channels.
export const NOTIFY_KEY_FILE = path.join(".data", "notify-secret-key");

export async function ensureNotifySecretKey(file = NOTIFY_KEY_FILE): Promise<"configured" | "stored" | "created"> {
  if (env().NOTIFY_SECRET_KEY) return "configured";
  const stored = await readFile(file, "utf8").then((s) => s.trim(), () => "");
  if (stored.length >= 32) {
    setEnv("NOTIFY_SECRET_KEY", stored);
    return "stored";
  }
  const key = newSecretKey();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  setEnv("NOTIFY_SECRET_KEY", key);
  return "created";
}

/** The key, or null when none is configured (secrets can then be neither saved nor read). */
export function notifySecretKey(): Buffer | null {
  const text = env().NOTIFY_SECRET_KEY;
  return text ? parseSecretKey(text) : null;
}

/** Where alert links point: APP_URL, else AUTH_URL; null when neither is set. */
export function appUrl(): string | null {
  const { APP_URL, AUTH_URL } = env();
  return APP_URL ?? AUTH_URL ?? null;
}
