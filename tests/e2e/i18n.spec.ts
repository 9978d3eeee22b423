import { expect as baseExpect, test } from "@playwright/test";
import { expectAccessible, getJson, saveScreenshot } from "./dashboard-checks";

// Pages render on a shared 2-core machine: allow first paints more than the default 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

test("the language switch turns the dashboard Swedish and back, and the choice is remembered", async ({ page }) => {
  test.slow();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "SV" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Aviseringar" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Anslutningar" })).toBeVisible();
  await expect(page.getByLabel("Felkod", { exact: true })).toBeVisible();
  await expect(page.getByText(/Uppdaterad \d/)).toBeVisible();
  await saveScreenshot(page, "alerts-sv");
  await expectAccessible(page);

  await page.getByRole("link", { name: "Anslutningar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Anslutningar" })).toBeVisible();
  await expect(page.getByRole("article").first()).toContainText("Hälsa");
  await saveScreenshot(page, "connectors-sv");
  await page.getByRole("link", { name: "Domäner" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Godkända domäner" })).toBeVisible();
  await expect(page.locator("tbody tr").first()).toBeVisible();
  await saveScreenshot(page, "domains-sv");

  const { items } = await getJson<{ items: { id: number }[] }>(page, "/api/alerts?status=all&sort=queued&limit=1");
  const alert = items[0];
  if (!alert) throw new Error("The demo data has no alerts.");
  await page.goto(`/alerts/${alert.id}`);
  await expect(page.getByRole("region", { name: "Händelser per timme" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Köade meddelanden" })).toBeVisible();
  await saveScreenshot(page, "alert-detail-sv");
  await expectAccessible(page);

  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await page.getByRole("group", { name: "Språk" }).getByRole("button", { name: "EN" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("region", { name: "Events per hour" })).toBeVisible();
});

test.describe("without a choice", () => {
  test.use({ locale: "sv-SE" });

  test("the browser's language decides", async ({ page }) => {
    await page.goto("/connectors");
    await expect(page.getByRole("heading", { level: 1, name: "Anslutningar" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  });
});
