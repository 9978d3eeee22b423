import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "@/tests/e2e/auth-state";
import { createIngestToken, refusedConnectorAlert, removeFixtureConnectors, sameOrigin } from "@/tests/e2e/e2e-fixtures";

// Security headers, text from events shown as text, cross-origin writes refused, ingest tokens
// and the sign-in slow-down, against the production build.
test.describe.configure({ timeout: 60_000 });
test.afterAll(removeFixtureConnectors);

const HOSTILE = `450 4.4.316 <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> refused`;

test("pages carry a nonce CSP without unsafe-inline scripts, and the other security headers", async ({ page }) => {
  const response = await page.goto("/");
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
  // The page works under that policy: hydrated and interactive.
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  const api = await page.request.get("/api/alerts");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
});

test("error details with <script> show as text and never run", async ({ page, request }) => {
  const { alertId } = await refusedConnectorAlert(request, "hostile details", HOSTILE);
  await page.goto(`/alerts/${alertId}`);
  await expect(page.getByText("<script>window.__pwned = 1</script>", { exact: false }).first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("main script, main img[src='x']").count()).toBe(0);
});

test("state-changing requests from another origin are refused and change nothing", async ({ request }) => {
  const { alertId } = await refusedConnectorAlert(request, "cross origin", "450 4.4.316 refused");
  const forged = await request.post(`/api/alerts/${alertId}/actions`, { headers: { origin: "https://evil.example" }, data: { action: "acknowledge" } });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).detail).toMatch(/other sites/);
  const crossSite = await request.post(`/api/alerts/${alertId}/fix-now`, { headers: { "sec-fetch-site": "cross-site" }, data: {} });
  expect(crossSite.status()).toBe(403);
  const detail = await (await request.get(`/api/alerts/${alertId}`)).json();
  expect(detail.alert.status).toBe("ACTIVE");
});

test("ingest without, with a wrong and with a revoked token is refused and stores nothing", async ({ request }) => {
  const event = { occurredAt: new Date().toISOString(), connector: 1, messageId: "<token-check@e2e.example>", status: "deferred", errorCode: "4.4.316" };
  const stored = async () => ((await (await request.get("/api/connectors/1/events?limit=200")).json()).items as { messageId: string }[])
    .filter((e) => e.messageId === event.messageId).length;
  const token = await createIngestToken(request, "E2E revoked");
  const list = (await (await request.get("/api/tokens")).json()).tokens as { id: number; name: string }[];
  const id = list.find((t) => t.name === "E2E revoked")!.id;
  expect((await request.delete(`/api/tokens/${id}`, { headers: sameOrigin() })).status()).toBe(200);
  for (const authorization of [undefined, "Bearer mf_wrongwrongwrongwrongwrong", `Bearer ${token}`]) {
    const res = await request.post("/api/events", { headers: authorization ? { authorization } : {}, data: event });
    expect(res.status()).toBe(401);
  }
  expect(await stored()).toBe(0);
});

test("an admin creates a token on the settings page, sees it once, and it works", async ({ page }) => {
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name (where it is used)").fill("E2E page token");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^mf_/);
  await expect(page.getByRole("row", { name: /E2E page token/ })).toContainText("Never");
  const res = await page.request.post("/api/events", {
    headers: { authorization: `Bearer ${token}` },
    data: { occurredAt: new Date().toISOString(), connector: 1, messageId: "<page-token@e2e.example>", status: "delivered" },
  });
  expect(res.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByRole("row", { name: /E2E page token/ })).not.toContainText("Never");
});

test("repeated wrong passwords are slowed down with 429 and Retry-After", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 7; i++) {
    const res = await anonymous.post("/api/auth/sign-in/email", { data: { email: E2E_USERS.OPERATOR.email, password: `wrong ${i}` } });
    statuses.push(res.status());
    if (res.status() === 429) retryAfter = res.headers()["retry-after"];
  }
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses.slice(5)).toEqual([429, 429]);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  // Even the right password waits until the delay is over.
  const right = await anonymous.post("/api/auth/sign-in/email", { data: { email: E2E_USERS.OPERATOR.email, password: E2E_PASSWORD } });
  expect(right.status()).toBe(429);
  await anonymous.dispose();
});
