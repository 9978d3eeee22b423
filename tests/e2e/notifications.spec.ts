import { expect as baseExpect, test, type Page } from "@playwright/test";
import { EMPTY_ORG, stateFile } from "@/tests/e2e/auth-state";
import { localInput, signInToEmptyOrg, signInToEmptyOrgInSwedish, withEmptyDb } from "@/tests/e2e/empty-org";
import { expectAccessible, saveScreenshot } from "@/tests/e2e/dashboard-checks";
import { startSignedReceiver, type SignedReceiver } from "@/tests/e2e/signed-receiver";

// Settings → Notifications on the empty organisation's server: an admin adds a webhook channel
// pointing at a loopback receiver the test runs (it checks the signature), a rule and a
// maintenance window, sends a test and sees it delivered; the secret is never shown again. Send
// test writes no notification, so the log is empty until the test writes one as the router
// would (given up, so no worker touches it). Then the page in Swedish, and a viewer.
test.describe.configure({ mode: "serial" });

const expect = baseExpect.configure({ timeout: 15_000 });
const CHANNEL = "Ops webhook (e2e)";
const CONNECTOR = "Outbound to Notify e2e relay";
const SIGNING = "e2e-signing-secret-0123456789";

let receiver: SignedReceiver;
let hookUrl: string;
let page: Page;
let connectorId: number;

test.beforeAll(async ({ browser }) => {
  receiver = await startSignedReceiver(SIGNING);
  hookUrl = `${receiver.origin}/hooks/e2e-token-path`;
  page = await signInToEmptyOrg(browser);
  const res = await page.request.post("/api/connectors", {
    headers: { origin: new URL(EMPTY_ORG.baseURL).origin },
    data: { name: CONNECTOR, kind: "ON_PREMISES", smartHosts: ["mail.notify-e2e.example"], recipientDomains: ["notify-e2e.example"], tlsMode: "OPPORTUNISTIC" },
  });
  expect(res.status(), await res.text()).toBe(201);
  connectorId = ((await res.json()) as { id: number }).id;
});

test.afterAll(async () => {
  await page?.context().close();
  await receiver?.close();
  await withEmptyDb(async (db) => {
    await db.notificationChannel.deleteMany({ where: { name: CHANNEL } });
    await db.maintenanceWindow.deleteMany({ where: { connectorId } });
    await db.connector.deleteMany({ where: { id: connectorId } });
  });
});

test("an admin adds a webhook channel and a rule, sends a test and sees it delivered; the secret is not shown again", async () => {
  test.slow();
  await page.goto("/settings/notifications");
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications" })).toHaveAttribute("aria-current", "page");
  const channels = page.getByRole("region", { name: "Channels" });
  await expect(channels).toContainText("No channels yet");

  // A bad URL is refused at its field.
  const form = channels.getByRole("form", { name: "New channel" });
  await form.getByLabel("Name").fill(CHANNEL);
  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("Webhook URL").fill("not a url");
  await form.getByLabel("Signing secret").fill(SIGNING);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.getByLabel("Webhook URL")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("alert")).toHaveText("Nothing was saved: check the marked fields.");
  await saveScreenshot(page, "notifications-channel-error");

  await form.getByLabel("Webhook URL").fill(hookUrl);
  await form.getByLabel("Signing secret").fill(SIGNING);
  await form.getByRole("button", { name: "Add channel" }).click();
  const row = channels.locator("tbody tr").filter({ hasText: CHANNEL });
  await expect(row).toContainText("Webhook");
  await expect(row.getByTestId("secret-hint")).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/…$/);
  await expect(page.locator("body")).not.toContainText("e2e-token-path");
  await expect(page.locator("body")).not.toContainText(SIGNING);
  await expect(form.getByLabel("Webhook URL")).toHaveValue("");

  await row.getByRole("button", { name: `Send test: ${CHANNEL}` }).click();
  await expect(row.getByRole("status")).toContainText("Test delivered (HTTP 200)");
  expect(receiver.received).toHaveLength(1);
  expect(receiver.received[0]?.signed).toBe(true);
  expect(receiver.received[0]?.headers["idempotency-key"]).toMatch(/^test-/);
  expect(JSON.parse(receiver.received[0]?.body ?? "{}")).toMatchObject({ test: true });

  // On edit the secret fields start empty; leaving them empty keeps the saved secret.
  await row.getByRole("button", { name: `Edit: ${CHANNEL}` }).click();
  const edit = channels.getByRole("form", { name: `Edit channel ${CHANNEL}` });
  await expect(edit.getByLabel("Webhook URL")).toHaveValue("");
  await expect(edit).toContainText("Leave empty to keep the saved secret");
  await edit.getByLabel("Language").selectOption("sv");
  await edit.getByRole("button", { name: "Save channel" }).click();
  await expect(row).toContainText("Swedish");
  await row.getByRole("button", { name: `Send test: ${CHANNEL}` }).click();
  await expect(row.getByRole("status")).toContainText("Test delivered");
  // The status may still show the first test's outcome: wait for the second request itself.
  await expect.poll(() => receiver.received.map((r) => r.signed)).toEqual([true, true]);

  const rules = page.getByRole("region", { name: "Rules" });
  await expect(rules).toContainText("No rules yet");
  await rules.getByLabel("Channel").selectOption({ label: CHANNEL });
  await rules.getByLabel("Opened").check();
  await rules.getByLabel("Became high").check();
  await rules.getByLabel("High", { exact: true }).check();
  await rules.getByLabel("Error codes").fill("4.4.316, 5.7.1");
  await rules.getByLabel("Daily limit").fill("20");
  await rules.getByRole("button", { name: "Add rule" }).click();
  const rule = rules.locator("tbody tr").filter({ hasText: CHANNEL });
  await expect(rule).toContainText("Opened, Became high");
  await expect(rule).toContainText("4.4.316, 5.7.1");
  await expect(rule).toContainText("20 a day");

  const windows = page.getByRole("region", { name: "Maintenance windows" });
  await windows.getByLabel("Connector").selectOption({ label: CONNECTOR });
  await windows.getByLabel("Starts").fill(localInput(1));
  await windows.getByLabel("Ends").fill(localInput(3));
  await windows.getByLabel("Reason").fill("Certificate swap on the relay");
  await windows.getByRole("button", { name: "Plan window" }).click();
  await expect(windows.locator("tbody tr").filter({ hasText: "Certificate swap on the relay" })).toContainText("Planned");

  const log = page.getByRole("region", { name: "Notification log" });
  await expect(log).toContainText("No notifications yet");
  await saveScreenshot(page, "notifications-admin");
  await expectAccessible(page);
});

test("the log lists a notification with its state and reason", async () => {
  await withEmptyDb(async (db) => {
    const channel = await db.notificationChannel.findFirstOrThrow({ where: { name: CHANNEL } });
    await db.notification.create({
      data: {
        key: `e2e-${Date.now()}`, channelId: channel.id, trigger: "opened", connectorId, errorCode: "4.4.316", alertIds: [], payload: {},
        state: "GIVEN_UP", attempts: 3, lastError: "HTTP 410: the hook was removed", nextAttemptAt: new Date(),
      },
    });
  });
  await page.goto("/settings/notifications");
  const log = page.getByRole("region", { name: "Notification log" });
  const entry = log.locator("tbody tr").first();
  await expect(entry).toContainText(CHANNEL);
  await expect(entry).toContainText(`${CONNECTOR} · 4.4.316`);
  await expect(entry).toContainText("given up");
  await expect(entry).toContainText("HTTP 410: the hook was removed");
  await log.scrollIntoViewIfNeeded();
  await saveScreenshot(page, "notifications-log");
  await expectAccessible(page);
});

test("in Swedish", async ({ browser }) => {
  const sv = await signInToEmptyOrgInSwedish(browser);
  await sv.goto("/settings/notifications");
  await expect(sv.locator("html")).toHaveAttribute("lang", "sv");
  await expect(sv.getByRole("heading", { level: 1, name: "Aviseringar" })).toBeVisible();
  await expect(sv.getByRole("region", { name: "Kanaler" })).toContainText(CHANNEL);
  await expect(sv.getByRole("region", { name: "Regler" })).toContainText("20 per dag");
  await expect(sv.getByRole("region", { name: "Underhållsfönster" })).toContainText("Planerat");
  await expect(sv.getByRole("region", { name: "Aviseringslogg" })).toContainText("uppgiven");
  const row = sv.getByRole("region", { name: "Kanaler" }).locator("tbody tr").filter({ hasText: CHANNEL });
  await row.getByRole("button", { name: `Skicka test: ${CHANNEL}` }).click();
  await expect(row.getByRole("status")).toContainText("Testet levererades");
  await saveScreenshot(sv, "notifications-sv");
  await expectAccessible(sv);
  await sv.context().close();
});

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("VIEWER") });

  test("the page says it is for admins", async ({ page: viewer }) => {
    await viewer.goto("/settings/notifications");
    await expect(viewer.getByText("Notification settings are for admins only.")).toBeVisible();
    await expect(viewer.getByRole("region", { name: "Channels" })).toHaveCount(0);
    await expectAccessible(viewer);
  });
});
