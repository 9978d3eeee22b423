import { expect, test, type APIRequestContext } from "@playwright/test";
import { sameOrigin } from "@/tests/e2e/e2e-fixtures";

// Acknowledge, snooze and end the snooze of a partner alert from its page, checked through the API.
// Dismiss is only opened and cancelled here, so the demo alert stays in the active list for the
// other browser tests; tests/integration/alert-actions.test.ts covers dismissing.
test("an admin acknowledges, snoozes and un-snoozes an alert, and the API shows each step", async ({ page, request }) => {
  test.setTimeout(90_000);
  const alerts = await getJson<{ items: { id: number; errorCode: string; connector: { kind: string } }[] }>(request, "/api/alerts?status=active&code=4.7.320");
  const alert = alerts.items.find((a) => a.connector.kind === "PARTNER");
  if (!alert) throw new Error("The demo data has no active 4.7.320 partner alert.");
  const detail = async () => (await getJson<{ alert: Record<string, unknown> }>(request, `/api/alerts/${alert.id}`)).alert;

  await page.goto(`/alerts/${alert.id}`);
  const actions = page.getByTestId("alert-actions");
  await actions.getByRole("button", { name: "Acknowledge" }).click();
  await expect(actions).toContainText(/Acknowledged by admin at /);
  expect(await detail()).toMatchObject({ status: "INVESTIGATING", acknowledgedBy: "admin" });

  await actions.getByRole("button", { name: "Dismiss…" }).click();
  const dismiss = page.getByRole("dialog", { name: "Dismiss this alert" });
  await expect(dismiss.getByLabel("Reason")).toBeFocused();
  await dismiss.getByRole("button", { name: "Dismiss alert" }).click();
  await expect(dismiss).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dismiss).toBeHidden();
  await expect(actions.getByRole("button", { name: "Dismiss…" })).toBeFocused();
  expect((await detail()).status).toBe("INVESTIGATING");

  await actions.getByRole("button", { name: "Snooze…" }).click();
  const snooze = page.getByRole("dialog", { name: "Snooze this alert" });
  await expect(snooze.getByLabel("Snooze until (UTC)")).toBeFocused();
  await page.screenshot({ path: "test-results/screenshots/alert-snooze-dialog.png" });
  await snooze.getByRole("button", { name: "Snooze", exact: true }).click();
  await expect(snooze).toBeHidden();
  await expect(actions).toContainText(/Snoozed until /);
  const snoozed = await detail();
  expect(snoozed).toMatchObject({ status: "SNOOZED", snoozedQueued: snoozed.queuedCount });
  expect(Date.parse(String(snoozed.snoozedUntil))).toBeGreaterThan(Date.now());

  await actions.getByRole("button", { name: "End snooze" }).click();
  await expect(actions.getByRole("button", { name: "Snooze…" })).toBeVisible();
  expect(await detail()).toMatchObject({ status: "ACTIVE", snoozedUntil: null });
  await page.getByTestId("alert-actions").screenshot({ path: "test-results/screenshots/alert-actions.png" });

  const audit = await getJson<{ audit: { action: string; actor: string }[] }>(request, `/api/alerts/${alert.id}`);
  expect(audit.audit.map((a) => a.action)).toEqual(expect.arrayContaining(["alert.acknowledge", "alert.snooze", "alert.unsnooze"]));
});

test("the actions API refuses a dismiss without a reason and a snooze in the past", async ({ request }) => {
  const alerts = await getJson<{ items: { id: number }[] }>(request, "/api/alerts?status=active");
  const id = alerts.items[0]?.id;
  const noReason = await request.post(`/api/alerts/${id}/actions`, { headers: sameOrigin(), data: { action: "dismiss" } });
  expect(noReason.status()).toBe(400);
  expect((await noReason.json()).detail).toMatch(/reason/);
  const past = await request.post(`/api/alerts/${id}/actions`, { headers: sameOrigin(), data: { action: "snooze", until: "2020-01-01T00:00:00Z" } });
  expect(past.status()).toBe(400);
  expect((await past.json()).detail).toMatch(/future/);
  const unknown = await request.post(`/api/alerts/${id}/actions`, { headers: sameOrigin(), data: { action: "delete" } });
  expect(unknown.status()).toBe(400);
});

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}
