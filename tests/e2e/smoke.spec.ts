import { expect, test } from "@playwright/test";

test("the home page shows the header navigation", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation").first();
  await expect(nav).toBeVisible();
  for (const name of ["Alerts", "Connectors", "Domains"]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
});

test("GET /api/health reports a reachable, fully migrated database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: "reachable", migrations: { pending: [] } });
});
