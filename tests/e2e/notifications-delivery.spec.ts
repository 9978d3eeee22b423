import { expect as baseExpect, test, type Page } from "@playwright/test";
import { EMPTY_ORG } from "@/tests/e2e/auth-state";
import { expectAccessible, saveScreenshot } from "@/tests/e2e/dashboard-checks";
import { localInput, signInToEmptyOrg, signInToEmptyOrgInSwedish, withEmptyDb } from "@/tests/e2e/empty-org";
import { startSignedReceiver, type SignedReceiver } from "@/tests/e2e/signed-receiver";

// A real alert through a rule to a delivered notification, on the empty organisation's server
// (APP_URL set by playwright.config.ts): an admin adds a connector, two webhook channels pointing
// at a loopback receiver the test runs (it checks the signature) and two rules, the first made
// wrong and corrected on the page field by field; events ingested through POST /api/events with
// an API token open a 4.4.316 alert; the app's own notification jobs route and deliver it; the
// receiver gets one signed message naming the alert, connector and code with a link to the alert,
// and the page's log shows it delivered. The rule for another code sends nothing. Then a
// maintenance window open now marks the alert as expected on the alert list, the alert's page
// and the connector page.
test.describe.configure({ mode: "serial" });

const expect = baseExpect.configure({ timeout: 20_000 });
const CONNECTOR = "Outbound to Flow e2e relay";
const MATCH = "Flow webhook (e2e)";
const OTHER = "Flow other-code webhook (e2e)";
const SIGNING = "e2e-flow-signing-secret-0123456789";
const WINDOW_NOTE = "Relay firmware upgrade";
const TOKEN = "Flow e2e relay";

let receiver: SignedReceiver;
let page: Page;
let connectorId: number;
let alertId: number;

test.beforeAll(async ({ browser }) => {
  receiver = await startSignedReceiver(SIGNING);
  page = await signInToEmptyOrg(browser);
});

test.afterAll(async () => {
  await page?.context().close();
  await receiver?.close();
  await withEmptyDb(async (db) => {
    await db.notificationChannel.deleteMany({ where: { name: { in: [MATCH, OTHER] } } });
    await db.apiToken.deleteMany({ where: { name: TOKEN } });
    const connector = await db.connector.findFirst({ where: { name: CONNECTOR } });
    if (connector) {
      await db.maintenanceWindow.deleteMany({ where: { connectorId: connector.id } });
      await db.connector.delete({ where: { id: connector.id } });
    }
  });
});

test("an admin sets up a connector, channels and rules, and corrects a rule field by field", async () => {
  test.slow();
  await page.goto("/connectors");
  await page.getByRole("button", { name: "Add connector" }).click();
  const connectorForm = page.getByRole("dialog", { name: "Add connector" });
  await connectorForm.getByLabel("Name").fill(CONNECTOR);
  await connectorForm.getByRole("textbox", { name: "Smart hosts" }).fill("mail.flow-e2e.example");
  await connectorForm.getByLabel("Recipient domains").fill("flow-e2e.example");
  await connectorForm.getByRole("button", { name: "Add connector" }).click();
  await expect(connectorForm).toBeHidden();
  connectorId = await withEmptyDb(async (db) => (await db.connector.findFirstOrThrow({ where: { name: CONNECTOR } })).id);

  await page.goto("/settings/notifications");
  const channels = page.getByRole("region", { name: "Channels" });
  for (const [name, path] of [[MATCH, "/hooks/flow-match"], [OTHER, "/hooks/flow-other"]] as const) {
    const form = channels.getByRole("form", { name: "New channel" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Kind").selectOption("webhook");
    await form.getByLabel("Webhook URL").fill(`${receiver.origin}${path}`);
    await form.getByLabel("Signing secret").fill(SIGNING);
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect(channels.locator("tbody tr").filter({ hasText: name })).toContainText("Webhook");
  }

  // The first rule is made wrong: the other channel, another code, HIGH only, two triggers.
  const rules = page.getByRole("region", { name: "Rules" });
  const create = rules.getByRole("form", { name: "New rule" });
  await create.getByLabel("Channel").selectOption({ label: OTHER });
  await create.getByLabel("Opened").check();
  await create.getByLabel("Became high").check();
  await create.getByLabel("High", { exact: true }).check();
  await create.getByLabel("Error codes").fill("4.4.999");
  await create.getByLabel("Daily limit").fill("20");
  await create.getByRole("button", { name: "Add rule" }).click();
  const wrong = rules.locator("tbody tr").filter({ hasText: "4.4.999" });
  await expect(wrong).toContainText(OTHER);
  await expect(wrong).toContainText("Opened, Became high");

  // Corrected on the page, every field: refused fields say why first.
  await wrong.getByRole("button", { name: /^Edit rule \d+: / }).click();
  const edit = rules.getByRole("form", { name: "Edit rule" });
  await expect(edit.getByLabel("Error codes")).toHaveValue("4.4.999");
  await expect(edit.getByLabel("Became high")).toBeChecked();
  await expect(edit.getByLabel("Daily limit")).toHaveValue("20");
  await edit.getByLabel("Channel").selectOption({ label: MATCH });
  await edit.getByLabel("Became high").uncheck();
  await edit.getByLabel("High", { exact: true }).uncheck();
  await edit.getByLabel("Error codes").fill("4.4.316");
  await edit.getByLabel(CONNECTOR).check();
  await edit.getByLabel("Daily limit").fill("0");
  await edit.getByLabel("Group window (minutes)").fill("0");
  await edit.getByLabel("Time zone").fill("Mars/Olympus_Mons");
  await edit.getByRole("button", { name: "Save rule" }).click();
  await expect(edit.getByLabel("Daily limit")).toHaveAttribute("aria-invalid", "true");
  await expect(edit).toContainText("Enter a whole number from 1 to 10000.");
  await expect(edit.getByLabel("Time zone")).toHaveAttribute("aria-invalid", "true");
  await expect(edit).toContainText("Enter a time zone such as Europe/Stockholm or UTC.");
  await expect(edit.getByRole("alert")).toHaveText("Nothing was saved: check the marked fields.");
  await saveScreenshot(page, "notifications-rule-edit-error");
  await expect(wrong).toContainText("4.4.999");

  await edit.getByLabel("Daily limit").fill("50");
  await edit.getByLabel("Time zone").fill("UTC");
  await edit.getByRole("button", { name: "Save rule" }).click();
  await expect(edit).toBeHidden();
  const rule = rules.locator("tbody tr").filter({ hasText: "4.4.316" });
  await expect(rule).toContainText(MATCH);
  await expect(rule.locator("td").nth(1)).toHaveText("Opened");
  await expect(rule).toContainText(CONNECTOR);
  await expect(rule.locator("td").nth(4)).toHaveText("all");
  await expect(rule).toContainText("50 a day · 0 min · UTC");

  // A rule whose code does not match what will happen.
  await create.getByLabel("Channel").selectOption({ label: OTHER });
  await create.getByLabel("Opened").check();
  await create.getByLabel("Error codes").fill("4.4.317");
  await create.getByLabel("Group window (minutes)").fill("0");
  await create.getByRole("button", { name: "Add rule" }).click();
  await expect(rules.locator("tbody tr").filter({ hasText: "4.4.317" })).toContainText(OTHER);
  await saveScreenshot(page, "notifications-rules-edited");
  await expectAccessible(page);
});

test("in Swedish, a refused rule field says why in Swedish", async ({ browser }) => {
  const sv = await signInToEmptyOrgInSwedish(browser);
  await sv.goto("/settings/notifications");
  const rules = sv.getByRole("region", { name: "Regler" });
  await rules.locator("tbody tr").filter({ hasText: "4.4.316" }).getByRole("button", { name: /^Ändra regel \d+: / }).click();
  const edit = rules.getByRole("form", { name: "Ändra regel" });
  await edit.getByLabel("Gräns per dag").fill("0");
  await edit.getByRole("button", { name: "Spara regel" }).click();
  await expect(edit.getByLabel("Gräns per dag")).toHaveAttribute("aria-invalid", "true");
  await expect(edit).toContainText("Ange ett heltal från 1 till 10000.");
  await saveScreenshot(sv, "notifications-rule-edit-error-sv");
  await edit.getByRole("button", { name: "Avbryt" }).click();
  await expect(rules.locator("tbody tr").filter({ hasText: "4.4.316" })).toContainText("50 per dag");
  await sv.context().close();
});

test("ingested events open an alert; the app's jobs deliver one signed notification naming it, and the log shows it delivered", async () => {
  test.slow();
  const origin = { origin: new URL(EMPTY_ORG.baseURL).origin };
  const tokenRes = await page.request.post("/api/tokens", { headers: origin, data: { name: TOKEN } });
  expect(tokenRes.status()).toBe(201);
  const { token } = (await tokenRes.json()) as { token: string };
  const occurredAt = new Date(Date.now() - 5 * 60_000).toISOString();
  const events = [1, 2].map((n) => ({
    occurredAt, connector: CONNECTOR, messageId: `<flow-${n}-${Date.now()}@flow-e2e.example>`, recipient: `user${n}@flow-e2e.example`,
    status: "deferred", errorCode: "450 4.4.316", errorDetails: "450 4.4.316 Connection refused [Message=Socket error code 10061]", destination: "mail.flow-e2e.example",
  }));
  const ingest = await page.request.post("/api/events", { headers: { authorization: `Bearer ${token}` }, data: events });
  expect(ingest.status(), await ingest.text()).toBe(200);
  const alerts = (await (await page.request.get(`/api/alerts?status=active&code=4.4.316&connector=${connectorId}`)).json()) as { items: { id: number }[] };
  alertId = alerts.items[0]?.id ?? 0;
  expect(alertId).toBeGreaterThan(0);

  // The router and the deliverer run every 2 s on the app's job leader.
  const delivered = () => receiver.received.filter((r) => r.path === "/hooks/flow-match");
  await expect.poll(() => delivered().length, { timeout: 45_000 }).toBe(1);
  const [message] = delivered();
  expect(message?.signed).toBe(true);
  expect(message?.headers["idempotency-key"]).toMatch(/^mailflow-\d+-\d+-opened$/);
  const body = JSON.parse(message?.body ?? "{}") as { trigger: string; test: boolean; alerts: { alertId: number; connector: string; code: string; url: string }[] };
  expect(body).toMatchObject({ trigger: "opened", test: false });
  expect(body.alerts).toEqual([expect.objectContaining({ alertId, connector: CONNECTOR, code: "4.4.316", url: `${EMPTY_ORG.baseURL}/alerts/${alertId}` })]);

  await page.goto("/settings/notifications");
  const log = page.getByRole("region", { name: "Notification log" });
  const entry = log.locator("tbody tr").filter({ hasText: MATCH });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(`${CONNECTOR} · 4.4.316`);
  await expect(entry).toContainText("delivered");
  await expect(entry).toContainText("Opened");
  // The other-code rule wrote and sent nothing, and nothing was sent twice.
  await expect(log.locator("tbody tr").filter({ hasText: OTHER })).toHaveCount(0);
  expect(receiver.received.filter((r) => r.path === "/hooks/flow-other")).toEqual([]);
  expect(delivered()).toHaveLength(1);
  await log.scrollIntoViewIfNeeded();
  await saveScreenshot(page, "notifications-delivered");
});

test("a maintenance window open now marks the alert as expected on the alert list, its page and the connector page", async ({ browser }) => {
  test.slow();
  await page.goto("/settings/notifications");
  const windows = page.getByRole("region", { name: "Maintenance windows" });
  await windows.getByLabel("Connector").selectOption({ label: CONNECTOR });
  await windows.getByLabel("Starts").fill(localInput(-0.1));
  await windows.getByLabel("Ends").fill(localInput(2));
  await windows.getByLabel("Reason").fill(WINDOW_NOTE);
  await windows.getByRole("button", { name: "Plan window" }).click();
  await expect(windows.locator("tbody tr").filter({ hasText: WINDOW_NOTE })).toContainText("Now");

  await page.goto("/");
  const row = page.locator("tbody tr").filter({ has: page.locator(`a[href="/alerts/${alertId}"]`) });
  const badge = row.getByTestId("expected-maintenance");
  await expect(badge).toContainText("Expected — maintenance");
  await expect(badge).toContainText(WINDOW_NOTE);
  await expect(badge).toContainText("until ");
  await saveScreenshot(page, "alerts-expected-maintenance");

  await page.goto(`/alerts/${alertId}`);
  await expect(page.getByTestId("expected-maintenance")).toContainText(`Expected — maintenance`);
  await expect(page.getByTestId("expected-maintenance")).toContainText(WINDOW_NOTE);
  await saveScreenshot(page, "alert-expected-maintenance");
  await expectAccessible(page);

  await page.goto(`/connectors/${connectorId}`);
  await expect(page.getByTestId("expected-maintenance").first()).toContainText(WINDOW_NOTE);
  await saveScreenshot(page, "connector-expected-maintenance");

  const sv = await signInToEmptyOrgInSwedish(browser);
  await sv.goto(`/alerts/${alertId}`);
  await expect(sv.getByTestId("expected-maintenance")).toContainText("Förväntat — underhåll");
  await sv.context().close();
});
