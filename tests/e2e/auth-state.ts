import path from "node:path";
import type { Role } from "@/lib/auth/roles";

// The users global-setup.ts creates on the e2e database, one per role, each with a saved
// signed-in browser state. Tests run as the admin unless they pick another state.
export const E2E_PASSWORD = "e2e password that is long enough";
export const E2E_USERS: Record<Role, { email: string; name: string }> = {
  ADMIN: { email: "admin@e2e.test", name: "admin" },
  OPERATOR: { email: "olivia@e2e.test", name: "Olivia Operator" },
  VIEWER: { email: "victor@e2e.test", name: "Victor Viewer" },
};

export const stateFile = (role: Role) => path.join(".data", "e2e", `${role.toLowerCase()}.json`);

/**
 * The second server of the run (playwright.config.ts): an organisation that starts empty, no
 * demo data, its first admin made on first start from ADMIN_EMAIL and ADMIN_PASSWORD.
 */
export const EMPTY_ORG = {
  baseURL: process.env.E2E_EMPTY_BASE_URL ?? "http://127.0.0.1:3101",
  email: "first.admin@empty.e2e.test",
  password: "a first admin password, long enough",
};
