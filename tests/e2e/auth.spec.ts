import { expect, test, type Browser } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { E2E_PASSWORD, E2E_USERS, stateFile } from "@/tests/e2e/auth-state";
import { expectAccessible, saveScreenshot } from "@/tests/e2e/dashboard-checks";
import { refusedConnectorAlert, removeFixtureConnectors, sameOrigin } from "@/tests/e2e/e2e-fixtures";

// Sign-in, sign-out and roles, in the browser and through forged requests.
test.describe.configure({ timeout: 60_000 });
test.afterAll(removeFixtureConnectors);

const signedOut = { cookies: [], origins: [] };

async function pageAs(browser: Browser, role: Role | null) {
  const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", storageState: role ? stateFile(role) : signedOut });
  return context.newPage();
}

test("pages send a signed-out visitor to sign-in, and the API answers 401", async ({ browser }) => {
  const page = await pageAs(browser, null);
  for (const path of ["/", "/connectors", "/domains", "/alerts/1", "/settings/users"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/sign-in/);
  }
  await page.goto("/connectors?x=1");
  expect(new URL(page.url()).searchParams.get("next")).toBe("/connectors?x=1");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await saveScreenshot(page, "sign-in");
  await expectAccessible(page);

  const api = await page.request.get("/api/alerts");
  expect(api.status()).toBe(401);
  expect(api.headers()["content-type"]).toContain("application/problem+json");
  expect((await api.json()).detail).toMatch(/Sign in/);
  // A made-up session cookie passes the proxy's quick look but not the page's own check.
  await page.context().addCookies([{ name: "mailflow.session_token", value: "forged.value", domain: "127.0.0.1", path: "/" }]);
  await page.goto("/domains");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.context().close();
});

test("a viewer signs in through the form, lands where they were going, and signs out", async ({ browser }) => {
  const page = await pageAs(browser, null);
  await page.goto("/domains");
  await page.getByLabel("Email").fill(E2E_USERS.VIEWER.email);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is wrong." })).toBeVisible();
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/domains$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Signed in as Victor Viewer · Viewer");
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.request.get("/api/alerts")).status()).toBe(401);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.context().close();
});

test("a viewer sees alerts but Fix now is refused in the page and in a forged request; nothing changes", async ({ browser, request }) => {
  const { alertId, connectorId } = await refusedConnectorAlert(request, "viewer check", "450 4.4.316 Connection refused");
  const page = await pageAs(browser, "VIEWER");
  await page.goto("/");
  await expect(page.getByTestId("signed-in-user")).toContainText("Victor Viewer");
  await expect(page.getByRole("table").first()).toBeVisible();

  await page.goto(`/alerts/${alertId}`);
  await page.getByTestId("fix-now-button").click();
  await page.getByRole("dialog").getByRole("button", { name: "Apply Fix now" }).click();
  await expect(page.getByRole("dialog")).toContainText("Your role (viewer) may not change alerts or apply remediations");
  await saveScreenshot(page, "viewer-fix-now-refused");

  const forged = await page.evaluate(async (id) => {
    const res = await fetch(`/api/alerts/${id}/fix-now`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    return { status: res.status, body: await res.json() };
  }, alertId);
  expect(forged.status).toBe(403);
  expect(forged.body.detail).toMatch(/Nothing was changed/);
  const ack = await page.request.post(`/api/alerts/${alertId}/actions`, { headers: sameOrigin(), data: { action: "acknowledge" } });
  expect(ack.status()).toBe(403);
  expect((await page.request.get("/api/tokens")).status()).toBe(403);

  const detail = await (await request.get(`/api/alerts/${alertId}`)).json();
  expect(detail.alert).toMatchObject({ status: "ACTIVE", remediatedBy: null });
  const connectors = (await (await request.get("/api/connectors")).json()).items as { id: number; enabled: boolean }[];
  expect(connectors.find((c) => c.id === connectorId)?.enabled).toBe(true);
  await page.context().close();
});

test("an operator's Fix now is applied and audited under their name", async ({ browser, request }) => {
  const { alertId } = await refusedConnectorAlert(request, "operator check", "450 4.4.316 Connection refused");
  const page = await pageAs(browser, "OPERATOR");
  await page.goto(`/alerts/${alertId}`);
  await page.getByTestId("fix-now-button").click();
  await page.getByRole("dialog").getByRole("button", { name: "Apply Fix now" }).click();
  await expect(page.getByTestId("remediated-by")).toContainText("Remediated by Olivia Operator at ");

  const detail = await (await request.get(`/api/alerts/${alertId}`)).json();
  expect(detail.alert).toMatchObject({ status: "RESOLVED", remediatedBy: "Olivia Operator" });
  const audit = (detail.audit as { action: string; actor: string }[]).filter((a) => a.action === "remediation.apply");
  expect(audit.map((a) => a.actor)).toEqual(["Olivia Operator"]);
  // Operators may not manage tokens or users.
  expect((await page.request.get("/api/users")).status()).toBe(403);
  await page.context().close();
});

test("an admin adds a user with a role on the settings page, and the user can sign in", async ({ page, browser }) => {
  await page.goto("/settings/users");
  await expect(page.getByRole("row", { name: /Victor Viewer/ })).toBeVisible({ timeout: 15_000 });
  await page.getByLabel("Name", { exact: true }).fill("Nora New");
  await page.getByLabel("Email", { exact: true }).fill("nora@e2e.test");
  await page.getByLabel("Role", { exact: true }).selectOption("OPERATOR");
  await page.getByLabel("Temporary password (at least 12 characters)").fill("nora's long password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("nora@e2e.test can now sign in.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Nora New/ })).toBeVisible();
  await saveScreenshot(page, "settings-users");
  await expectAccessible(page);
  await page.goto("/settings/tokens");
  await saveScreenshot(page, "settings-tokens");
  await expectAccessible(page);

  const nora = await (await browser.newContext({ storageState: signedOut })).newPage();
  await nora.goto("/sign-in");
  await nora.getByLabel("Email").fill("nora@e2e.test");
  await nora.getByLabel("Password").fill("nora's long password");
  await nora.getByRole("button", { name: "Sign in" }).click();
  await expect(nora.getByTestId("signed-in-user")).toHaveText("Signed in as Nora New · Operator");
  await nora.context().close();
});
