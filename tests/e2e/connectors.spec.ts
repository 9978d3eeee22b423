import { expect as baseExpect, test } from "@playwright/test";
import { expectAccessible, getJson, saveScreenshot } from "./dashboard-checks";

// Pages render on a shared 2-core machine: allow first paints more than the default 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

type Connector = { id: number; name: string; kind: string; health: string; openAlerts: { errorCode: string }[]; domains: { name: string }[] };

test("the connectors page shows every connector with health, settings and domains", async ({ page }) => {
  const { items } = await getJson<{ items: Connector[] }>(page, "/api/connectors");
  await page.goto("/connectors");
  await expect(page.getByRole("heading", { level: 1, name: "Connectors" })).toBeVisible();
  for (const c of items) {
    const card = page.getByRole("article", { name: c.name });
    await expect(card).toBeVisible();
    await expect(card).toContainText(c.health === "healthy" ? "Healthy" : "Failing");
    for (const a of c.openAlerts) await expect(card).toContainText(a.errorCode);
    for (const d of c.domains) await expect(card).toContainText(d.name);
  }
  await saveScreenshot(page, "connectors");
  await expectAccessible(page);
});

test("a connector's history shows the chart by range, its alerts, changes and filtered events", async ({ page }) => {
  test.slow();
  const { items } = await getJson<{ items: Connector[] }>(page, "/api/connectors");
  const connector = items.find((c) => c.kind === "ON_PREMISES") ?? items[0];
  if (!connector) throw new Error("The demo data has no connectors.");
  await page.goto("/connectors");
  await page.getByRole("link", { name: `View the history of ${connector.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/connectors/${connector.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(connector.name);
  const chart = page.getByRole("region", { name: "Events over time by result" });
  await expect(chart.locator("figcaption")).toContainText(/events? in this range/);
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Alerts in this range" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Changes and validations" })).toBeVisible();
  await saveScreenshot(page, "connector-history");
  await expectAccessible(page);

  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole("button", { name: "7 days" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "30 days" }).click();
  await expect(page).toHaveURL(/range=30d/);
  await expect(chart.locator("figcaption")).toContainText(/events? in this range/);
  await saveScreenshot(page, "connector-history-30d");

  const events = page.getByRole("region", { name: "Events" });
  await events.getByLabel("Result").selectOption("DELIVERED");
  await expect(page).toHaveURL(/status=DELIVERED/);
  const results = events.locator("tbody tr td:nth-child(2)");
  // The filtered page replaces the previous one when it arrives: wait until no other result is left.
  await expect(results.first()).toHaveText("Delivered");
  await expect(results.filter({ hasNotText: "Delivered" })).toHaveCount(0);
  await events.getByLabel("Result").selectOption("DEFERRED");
  await expect(results.first()).toHaveText("Deferred");
  await expect(results.filter({ hasNotText: "Deferred" })).toHaveCount(0);
  await events.getByRole("button", { name: "Next page" }).click();
  await expect(events.getByRole("button", { name: "Previous page" })).toBeEnabled();
});

test("the domains page lists accepted domains with type, connector and changes", async ({ page }) => {
  const { items } = await getJson<{ items: { name: string; type: string; connector: { name: string } | null }[] }>(page, "/api/domains");
  await page.goto("/domains");
  await expect(page.getByRole("heading", { level: 1, name: "Accepted domains" })).toBeVisible();
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(items.length);
  for (const d of items) {
    const row = rows.filter({ hasText: d.name });
    await expect(row.first()).toContainText(d.connector?.name ?? "No connector");
  }
  await saveScreenshot(page, "domains");
  await expectAccessible(page);
});
