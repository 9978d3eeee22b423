import { expect, type Browser, type Page } from "@playwright/test";
import { closeDb, createDb } from "@/lib/db/client";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";
import { EMPTY_ORG } from "@/tests/e2e/auth-state";

// The empty-organisation server (EMPTY_ORG): signing its admin in afresh, and its database for
// specs that must set up or read what the UI cannot.

const BROWSER_ZONE = "Europe/Stockholm";

/** A new browser context on the empty organisation, its admin signed in, in `locale`. */
export async function signInToEmptyOrg(browser: Browser, locale = "en-US"): Promise<Page> {
  const context = await browser.newContext({ baseURL: EMPTY_ORG.baseURL, locale, timezoneId: BROWSER_ZONE, storageState: { cookies: [], origins: [] } });
  const p = await context.newPage();
  await p.goto("/sign-in");
  await p.locator("input[type=email]").fill(EMPTY_ORG.email);
  await p.locator("input[type=password]").fill(EMPTY_ORG.password);
  await p.locator("form button[type=submit]").click();
  await expect(p).toHaveURL(`${EMPTY_ORG.baseURL}/`);
  return p;
}

/** As signInToEmptyOrg, with the app's language set to Swedish (the cookie the language switch sets). */
export async function signInToEmptyOrgInSwedish(browser: Browser): Promise<Page> {
  const page = await signInToEmptyOrg(browser, "sv-SE");
  await page.context().addCookies([{ name: LOCALE_COOKIE, value: "sv", url: EMPTY_ORG.baseURL }]);
  return page;
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

/** A datetime-local input's value `hours` from now, in the signed-in browser's zone. */
export function localInput(hours: number): string {
  const at = new Date(Date.now() + hours * 3600_000);
  const parts = new Intl.DateTimeFormat("sv-SE", { timeZone: BROWSER_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  return parts.replace(" ", "T");
}
