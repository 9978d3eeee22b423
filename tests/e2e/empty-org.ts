import { expect, type Browser, type Page } from "@playwright/test";
import { closeDb, createDb } from "@/lib/db/client";
import { EMPTY_ORG } from "@/tests/e2e/auth-state";

// The empty-organisation server (EMPTY_ORG): signing its admin in afresh, and its database for
// specs that must set up or read what the UI cannot.

/** A new browser context on the empty organisation, its admin signed in, in `locale`. */
export async function signInToEmptyOrg(browser: Browser, locale = "en-US"): Promise<Page> {
  const context = await browser.newContext({ baseURL: EMPTY_ORG.baseURL, locale, timezoneId: "Europe/Stockholm", storageState: { cookies: [], origins: [] } });
  const p = await context.newPage();
  await p.goto("/sign-in");
  await p.locator("input[type=email]").fill(EMPTY_ORG.email);
  await p.locator("input[type=password]").fill(EMPTY_ORG.password);
  await p.locator("form button[type=submit]").click();
  await expect(p).toHaveURL(`${EMPTY_ORG.baseURL}/`);
  return p;
}

/** The empty organisation's database, for `work`, closed after. */
export async function withEmptyDb<T>(work: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${process.env.E2E_EMPTY_DATABASE_NAME}`;
  const db = createDb(url.toString(), 1);
  try {
    return await work(db);
  } finally {
    await closeDb(db);
  }
}
