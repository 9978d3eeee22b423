import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/roles";
import { countUsers, createUser } from "@/lib/auth/users";

// The first admin, made on first start when nobody can sign in yet: from ADMIN_EMAIL and
// ADMIN_PASSWORD, or with the demo data a demo admin with a generated password.
export const DEMO_ADMIN_EMAIL = "admin@demo.mailflow.local";

/** Command-line tools act as the machine's operator, who could edit the database anyway. */
export const COMMAND_LINE_ACTOR: Actor = { id: "command-line", email: "", name: "command line", role: "ADMIN" };
/** npm start making the first admin: audited under its own name, so the log says where that admin came from. */
export const FIRST_START_ACTOR: Actor = { id: "first-start", email: "", name: "first start", role: "ADMIN" };

export type BootstrapResult =
  | { kind: "existing" }
  | { kind: "none" }
  | { kind: "admin"; email: string }
  | { kind: "demo"; email: string; password: string };

export async function bootstrapFirstAdmin(
  db: Db,
  options: Readonly<{ adminEmail?: string; adminPassword?: string; demo: boolean }>,
): Promise<BootstrapResult> {
  if ((await countUsers(db)) > 0) return { kind: "existing" };
  if (options.adminEmail && options.adminPassword) {
    const user = await createUser(db, FIRST_START_ACTOR, { email: options.adminEmail.toLowerCase(), name: "Admin", role: "ADMIN", password: options.adminPassword });
    return { kind: "admin", email: user.email };
  }
  if (!options.demo) return { kind: "none" };
  const password = randomBytes(12).toString("base64url");
  await createUser(db, FIRST_START_ACTOR, { email: DEMO_ADMIN_EMAIL, name: "Demo admin", role: "ADMIN", password });
  return { kind: "demo", email: DEMO_ADMIN_EMAIL, password };
}
