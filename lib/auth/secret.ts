import "server-only";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { env, setEnv } from "@/lib/env";

// AUTH_SECRET signs the session cookies. When it is not configured, npm start makes one and
// keeps it in .data (readable by the owner only), so sessions survive a restart.
export const SECRET_FILE = path.join(".data", "auth-secret");

export async function ensureAuthSecret(file = SECRET_FILE): Promise<"configured" | "stored" | "created"> {
  if (env().AUTH_SECRET) return "configured";
  const stored = await readFile(file, "utf8").then((s) => s.trim(), () => "");
  if (stored.length >= 32) {
    setEnv("AUTH_SECRET", stored);
    return "stored";
  }
  const secret = randomBytes(32).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  setEnv("AUTH_SECRET", secret);
  return "created";
}
