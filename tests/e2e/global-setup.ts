import { request, type FullConfig } from "@playwright/test";
import pg from "pg";
import { ROLES } from "@/lib/db/enums";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { createUser } from "@/lib/auth/users";
import { closeDb, createDb } from "@/lib/db/client";
import { E2E_PASSWORD, E2E_USERS, stateFile } from "@/tests/e2e/auth-state";

const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// Runs after Playwright has started the web server (see playwright.config.ts), which created
// the run's database through npm start. Creates one user per role, signs each in and saves the
// browser state; returns the teardown that drops that database.
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const name = process.env.E2E_DATABASE_NAME;
  if (name) await createUsers(databaseUrl(name));
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts sets no baseURL.");
  for (const role of ROLES) await saveSignedInState(baseURL, E2E_USERS[role].email, stateFile(role));
  return async () => {
    const names = [name, process.env.E2E_EMPTY_DATABASE_NAME].filter((n): n is string => Boolean(n));
    if (names.length === 0) return;
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      // FORCE: the web servers are still connected; they are stopped right after this.
      for (const n of names) await client.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}

async function createUsers(url: string): Promise<void> {
  const db = createDb(url, 1);
  try {
    for (const role of ROLES) {
      const exists = await db.user.count({ where: { email: E2E_USERS[role].email } });
      if (!exists) await createUser(db, COMMAND_LINE_ACTOR, { ...E2E_USERS[role], role, password: E2E_PASSWORD });
    }
  } finally {
    await closeDb(db);
  }
}

async function saveSignedInState(baseURL: string, email: string, file: string): Promise<void> {
  const context = await request.newContext({ baseURL });
  try {
    const res = await context.post("/api/auth/sign-in/email", { data: { email, password: E2E_PASSWORD } });
    if (!res.ok()) throw new Error(`Signing in ${email} failed: ${res.status()} ${await res.text()}`);
    await context.storageState({ path: file });
  } finally {
    await context.dispose();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
