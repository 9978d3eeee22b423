import { expect as baseExpect, test } from "@playwright/test";
import { expectAccessible, getJson, saveScreenshot } from "./dashboard-checks";

// Pages render on a shared 2-core machine: allow first paints more than the default 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

// The alerts home and an alert's page on the demo data. Other specs act on alerts, so these
// tests read what to expect from the API instead of assuming fixed counts.
type AlertList = { items: { id: number; errorCode: string; connector: { id: number; name: string } }[]; nextCursor: string | null };

test("the alerts home shows a tile per code and the open alerts, and passes axe", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  const tiles = page.getByRole("region", { name: "Open alerts by error code" }).getByRole("listitem");
  await expect(tiles).toHaveCount(7);
  await expect(tiles.first()).toContainText("450 4.4.312");
  await expect(tiles.last()).toContainText("Other error");
  const open = await getJson<AlertList>(page, "/api/alerts?status=active&limit=100");
  await expect(page.locator("tbody tr")).toHaveCount(open.items.length);
  await expect(page.getByText(/Updated \d/)).toBeVisible();
  await saveScreenshot(page, "alerts");
  await expectAccessible(page);
});

test("filters, search and sorting live in the URL and survive a reload", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Status").selectOption("all");
  await expect(page).toHaveURL(/\?status=all$/);
  await page.getByLabel("Error code", { exact: true }).selectOption("4.4.316");
  await expect(page).toHaveURL(/status=all&code=4.4.316/);
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toContainText("4.4.316");
  await expect(rows.filter({ hasNotText: "4.4.316" })).toHaveCount(0);

  await page.getByRole("searchbox", { name: "Search" }).fill("on-premises");
  await expect(page).toHaveURL(/q=on-premises/);
  await page.getByRole("button", { name: "Sort by Queued" }).click();
  await expect(page).toHaveURL(/sort=queued/);
  await expect(page.getByRole("columnheader", { name: /Queued/ })).toHaveAttribute("aria-sort", "descending");
  await page.getByRole("button", { name: "Sort by Queued" }).click();
  await expect(page).toHaveURL(/sort=queued&order=asc/);

  await page.reload();
  await expect(page.getByLabel("Status")).toHaveValue("all");
  await expect(page.getByLabel("Error code", { exact: true })).toHaveValue("4.4.316");
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("on-premises");
  await expect(page.getByRole("columnheader", { name: /Queued/ })).toHaveAttribute("aria-sort", "ascending");
  await saveScreenshot(page, "alerts-filtered");

  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/\?sort=queued&order=asc$/);
});

test("a tile toggles the code filter, and the connector filter narrows the table", async ({ page }) => {
  await page.goto("/?status=all");
  const tile = page.getByRole("button", { name: /450 4\.7\.320/ });
  await tile.click();
  await expect(page).toHaveURL(/code=4.7.320/);
  await expect(tile).toHaveAttribute("aria-pressed", "true");
  await tile.click();
  await expect(page).not.toHaveURL(/code=/);

  const all = await getJson<AlertList>(page, "/api/alerts?status=all&limit=100");
  const connector = all.items[0]?.connector;
  if (!connector) throw new Error("The demo data has no alerts.");
  await page.getByLabel("Connector").selectOption(String(connector.id));
  await expect(page).toHaveURL(new RegExp(`connector=${connector.id}`));
  // The filtered list replaces the previous one when it arrives: wait until no other row is left.
  await expect(page.locator("tbody tr").first()).toContainText(connector.name);
  await expect(page.locator("tbody tr").filter({ hasNotText: connector.name })).toHaveCount(0);
});

test("pages forward and back through the list by cursor", async ({ page }) => {
  const first = await getJson<AlertList>(page, "/api/alerts?status=all&limit=2");
  // The demo holds ten alerts: a missing second page is a failure, not a reason to skip.
  expect(first.nextCursor, "the demo data should hold more than two alerts").not.toBeNull();
  await page.goto("/?status=all&limit=2");
  await expect(page.locator("tbody tr")).toHaveCount(2);
  const firstPage = await page.locator("tbody tr").allInnerTexts();
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect.poll(() => page.locator("tbody tr").allInnerTexts()).not.toEqual(firstPage);
  await page.getByRole("button", { name: "Previous page" }).click();
  await expect(page).not.toHaveURL(/cursor=/);
  await expect.poll(() => page.locator("tbody tr").allInnerTexts()).toEqual(firstPage);
});

test("a search without results shows the designed empty state", async ({ page }) => {
  await page.goto("/?q=no-such-connector-anywhere");
  await expect(page.getByText("No alerts match these filters")).toBeVisible();
  await saveScreenshot(page, "alerts-empty");
  await page.getByRole("button", { name: "Clear filters" }).last().click();
  await expect(page).toHaveURL(/\/$/);
});

test("an alert's page shows its header, chart, latest error, messages with time left and activity", async ({ page }) => {
  const open = await getJson<AlertList>(page, "/api/alerts?status=all&sort=queued&limit=1");
  const alert = open.items[0];
  if (!alert) throw new Error("The demo data has no alerts.");
  await page.goto("/?status=all&sort=queued");
  await page.locator("tbody tr").first().getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${alert.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(alert.errorCode);
  await expect(page.getByRole("link", { name: alert.connector.name }).first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Events per hour" }).locator("figcaption")).toContainText(/events? between/);
  await expect(page.getByRole("region", { name: "Latest error" })).toContainText("Destination server");
  const messages = page.getByRole("region", { name: "Queued messages" });
  await expect(messages).toContainText("24 hours");
  // The most-queued alert has more than one page of messages: forward and back again.
  const firstRow = messages.locator("tbody tr").first();
  const firstText = await firstRow.textContent();
  await messages.getByRole("button", { name: "Next page" }).click();
  await expect(firstRow).not.toHaveText(firstText ?? "");
  await messages.getByRole("button", { name: "Previous page" }).click();
  await expect(firstRow).toHaveText(firstText ?? "");
  await expect(messages.getByRole("button", { name: "Previous page" })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Activity" })).toBeVisible();
  await saveScreenshot(page, "alert-detail");
  await expectAccessible(page);
});

test("an unknown alert shows the not-found page", async ({ page }) => {
  const response = await page.goto("/alerts/99999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByText("Not found")).toBeVisible();
});

test.describe("in the browser's time zone", () => {
  test.use({ timezoneId: "Europe/Stockholm" });

  test("times are shown in the browser's zone, named, and a snooze is entered in it", async ({ page }) => {
    await page.goto("/");
    // The first paint may be in UTC; the page re-renders once it knows the browser's zone.
    await expect(page.getByText("Times are in Europe/Stockholm.")).toBeVisible();
    const open = await getJson<AlertList>(page, "/api/alerts?status=active&sort=queued&limit=1");
    const alert = open.items[0];
    if (!alert) throw new Error("The demo data has no open alerts.");
    const detail = await getJson<{ alert: { latestEventAt: string | null; lastSeenAt: string } }>(page, `/api/alerts/${alert.id}`);
    const latest = new Date(detail.alert.latestEventAt ?? detail.alert.lastSeenAt);
    await page.goto(`/alerts/${alert.id}`);
    const shown = new Intl.DateTimeFormat("en-US", {
      timeZone: "Europe/Stockholm", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
    }).format(latest);
    await expect(page.getByRole("region", { name: "Latest error" })).toContainText(shown);
    await page.getByRole("button", { name: "Snooze…" }).click();
    await expect(page.getByLabel("Snooze until (Europe/Stockholm)")).toBeVisible();
    await page.getByRole("button", { name: "Cancel" }).click();
  });
});
