import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { sameOrigin } from "@/tests/e2e/e2e-fixtures";

// Fix now end to end on the demo data: the 4.4.316 alert of the on-premises connector (the
// decommissioned Exchange story). Each step is checked through the API, not only on the page.
// The steps build on each other, so they run in order in one browser page.
// Generous time per step: the page and API are checked after every change, on a busy 2-core machine.
test.describe.configure({ mode: "serial", timeout: 90_000 });

type Connector = { id: number; name: string; kind: string; enabled: boolean; domains: { id: number; name: string; type: string }[] };
type Plan = { connector: { id: number; name: string; enabled: boolean }; domains: { id: number; name: string }[]; queuedMessages: number; powershell: string[] };

let alertId: number;
let connector: Connector;
let plan: Plan;
let page: Page;

const SHOTS = "test-results/screenshots";

test.beforeAll(async ({ browser, request }) => {
  const connectors = (await getJson<{ items: Connector[] }>(request, "/api/connectors")).items;
  const onPremises = connectors.find((c) => c.kind === "ON_PREMISES");
  if (!onPremises) throw new Error("The demo data has no on-premises connector.");
  connector = onPremises;
  const alerts = await getJson<{ items: { id: number }[] }>(request, `/api/alerts?status=active&code=4.4.316&connector=${connector.id}`);
  const alert = alerts.items[0];
  if (!alert) throw new Error("The demo data has no active 4.4.316 alert on the on-premises connector.");
  alertId = alert.id;
  const view = await getJson<{ eligible: boolean; plan: Plan | null }>(request, `/api/alerts/${alertId}/fix-now`);
  expect(view.eligible).toBe(true);
  plan = view.plan as Plan;
  expect(plan.domains.length).toBeGreaterThan(0);
  expect(plan.queuedMessages).toBeGreaterThan(0);
  // Its own context (not browser.newPage), which the axe check needs.
  const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC" });
  page = await context.newPage();
});

test.afterAll(async () => {
  await page.context().close();
});

test("the Fix now dialog says exactly what will change, traps focus and closes on Escape", async () => {
  await page.goto(`/alerts/${alertId}`);
  const panel = page.getByTestId("remediation-panel");
  await expect(panel.getByRole("heading", { name: "What happened" })).toBeVisible();
  await expect(panel).toContainText("The destination mail server refused the service's connection attempts.");
  await expect(panel.getByRole("heading", { name: "Doing it by hand" })).toBeVisible();

  const button = page.getByTestId("fix-now-button");
  await button.click();
  const dialog = page.getByRole("dialog", { name: `Fix now: stop sending mail through “${connector.name}”` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Connector “${connector.name}” will be disabled.`);
  await expect(dialog).toContainText(`${listOf(plan.domains.map((d) => d.name))} change from Internal relay to Authoritative.`);
  await expect(dialog).toContainText(`${plan.queuedMessages} queued messages go back to their senders now`);
  // The same change for the tenant, as Exchange Online PowerShell, before anything is confirmed.
  const commands = dialog.getByTestId("fix-now-powershell");
  await expect(commands).toContainText(`Set-OutboundConnector -Identity '${connector.name}' -Enabled $false`);
  for (const d of plan.domains) await expect(commands).toContainText(`Set-AcceptedDomain -Identity '${d.name}' -DomainType Authoritative`);
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Apply Fix now" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Copy" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(dialog.getByRole("button", { name: "Apply Fix now" })).toBeFocused();
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByTestId("fix-now-powershell")).toContainText("Copied to the clipboard");
  await page.screenshot({ path: `${SHOTS}/fix-now-dialog.png`, fullPage: false });

  const axe = await new AxeBuilder({ page }).include("dialog").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
  expect((await getConnector(page.request)).enabled).toBe(true);
});

test("confirming disables the connector, makes the domains Authoritative and bounces the queued messages", async () => {
  await page.getByTestId("fix-now-button").click();
  await page.getByRole("dialog").getByRole("button", { name: "Apply Fix now" }).click();
  await expect(page.getByTestId("remediated-by")).toContainText(/Remediated by admin at /);
  await expect(page.getByTestId("undo-button")).toBeVisible();
  const tenant = page.getByTestId("tenant-state");
  await expect(tenant).toContainText("Pending in Exchange Online");
  await expect(tenant).toContainText(plan.powershell[0]!);
  await page.getByRole("region", { name: "What to do" }).screenshot({ path: `${SHOTS}/fix-now-remediated.png` });

  expect((await getConnector(page.request)).enabled).toBe(false);
  const domains = await domainTypes(page.request);
  for (const d of plan.domains) expect(domains[d.name]).toBe("AUTHORITATIVE");
  const detail = await getJson<AlertDetail>(page.request, `/api/alerts/${alertId}?messagesLimit=200`);
  expect(detail.alert).toMatchObject({ status: "RESOLVED", remediatedBy: "admin", queuedCount: 0 });
  expect(detail.messages.items.some((m) => m.state === "REJECTED" && m.ndrAt !== null)).toBe(true);
  expect(detail.messages.items.filter((m) => m.state === "QUEUED")).toEqual([]);
});

test("Undo says bounces stay sent and restores the connector and the domains", async () => {
  await page.getByTestId("undo-button").click();
  const dialog = page.getByRole("dialog", { name: "Undo Fix now?" });
  await expect(dialog).toContainText(`Connector “${connector.name}” will be enabled again.`);
  await expect(dialog).toContainText("bounces already sent stay sent");
  await expect(dialog.getByTestId("undo-powershell")).toContainText(`Set-OutboundConnector -Identity '${connector.name}' -Enabled $true`);
  await page.screenshot({ path: `${SHOTS}/undo-dialog.png` });
  await dialog.getByRole("button", { name: "Undo Fix now" }).click();
  await expect(page.getByTestId("undone-by")).toContainText(/Undone by admin at /);
  await expect(page.getByTestId("tenant-state")).toContainText("The Undo is pending in Exchange Online");
  await expect(page.getByTestId("fix-now-button")).toBeVisible();

  expect((await getConnector(page.request)).enabled).toBe(true);
  const domains = await domainTypes(page.request);
  for (const d of plan.domains) expect(domains[d.name]).toBe("INTERNAL_RELAY");
  const detail = await getJson<AlertDetail>(page.request, `/api/alerts/${alertId}?messagesLimit=200`);
  expect(detail.alert.remediatedBy).toBeNull();
  expect(detail.messages.items.some((m) => m.state === "REJECTED")).toBe(true);
});

test("the connector history shows the change", async () => {
  const history = await getJson<{ changes: { action: string; actor: string }[] }>(page.request, `/api/connectors/${connector.id}/history`);
  const actions = history.changes.map((c) => `${c.action} by ${c.actor}`);
  expect(actions).toEqual(expect.arrayContaining(["connector.disable by admin", "connector.enable by admin"]));
  await page.goto(`/connectors/${connector.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(connector.name);
  const changes = page.getByRole("region", { name: "Changes and validations" });
  await expect(changes).toContainText("Connector disabled");
  await expect(changes).toContainText("Connector enabled");
  await page.screenshot({ path: `${SHOTS}/fix-now-connector-history.png`, fullPage: true });
});

test("the Swedish page shows the Swedish remediation panel and dialog", async ({ browser }) => {
  const context = await browser.newContext({ locale: "sv-SE", timezoneId: "UTC" });
  const sv = await context.newPage();
  await sv.goto(`/alerts/${alertId}`);
  const panel = sv.getByTestId("remediation-panel");
  await expect(panel.getByRole("heading", { name: "Vad som hände" })).toBeVisible();
  await expect(panel).toContainText("Målservern vägrade ta emot tjänstens anslutningsförsök.");
  await expect(panel.getByRole("heading", { name: "Gör det för hand" })).toBeVisible();
  await sv.getByTestId("fix-now-button").click();
  const dialog = sv.getByRole("dialog", { name: `Åtgärda nu: sluta skicka e-post via ”${connector.name}”` });
  await expect(dialog).toContainText(`Anslutningen ”${connector.name}” inaktiveras.`);
  await expect(dialog).toContainText("från Internt relä till Auktoritativ");
  await sv.screenshot({ path: `${SHOTS}/fix-now-dialog-sv.png` });
  await dialog.getByRole("button", { name: "Avbryt" }).click();
  await expect(dialog).toBeHidden();
  await sv.getByRole("region", { name: "Vad du kan göra" }).screenshot({ path: `${SHOTS}/remediation-panel-sv.png` });
  await context.close();
  expect((await getConnector(page.request)).enabled).toBe(true);
});

test("two confirmations at the same moment apply Fix now once; the other is told it was done", async () => {
  const post = () => page.request.post(`/api/alerts/${alertId}/fix-now`, { headers: sameOrigin(), data: { expectedDomainIds: plan.domains.map((d) => d.id) } });
  const responses = await Promise.all([post(), post()]);
  const statuses = responses.map((r) => r.status()).sort();
  expect(statuses).toEqual([200, 409]);
  const refused = responses.find((r) => r.status() === 409);
  expect((await refused?.json()).detail).toMatch(/already applied to this alert by admin at /);
  expect((await getConnector(page.request)).enabled).toBe(false);

  const again = await page.request.post(`/api/alerts/${alertId}/fix-now/undo`, { headers: sameOrigin() });
  expect(again.status()).toBe(200);
  const twice = await page.request.post(`/api/alerts/${alertId}/fix-now/undo`, { headers: sameOrigin() });
  expect(twice.status()).toBe(409);
  expect((await getConnector(page.request)).enabled).toBe(true);
});

test("Fix now is refused for a partner connector's alert, and nothing changes", async () => {
  const alerts = await getJson<{ items: { id: number; connector: { kind: string } }[] }>(page.request, "/api/alerts?status=all&limit=100");
  const partnerAlert = alerts.items.find((a) => a.connector.kind === "PARTNER");
  if (!partnerAlert) throw new Error("The demo data has no partner alert.");
  const before = await getJson<{ items: Connector[] }>(page.request, "/api/connectors");
  const response = await page.request.post(`/api/alerts/${partnerAlert.id}/fix-now`, { headers: sameOrigin() });
  expect(response.status()).toBe(400);
  const after = await getJson<{ items: Connector[] }>(page.request, "/api/connectors");
  expect(after.items.map((c) => [c.id, c.enabled])).toEqual(before.items.map((c) => [c.id, c.enabled]));
  await page.goto(`/alerts/${partnerAlert.id}`);
  await expect(page.getByTestId("remediation-panel")).toContainText("This connector delivers to a partner");
  await expect(page.getByTestId("fix-now-button")).toHaveCount(0);
  await page.getByRole("region", { name: "What to do" }).screenshot({ path: `${SHOTS}/remediation-panel-partner.png` });
});

type AlertDetail = {
  alert: { status: string; remediatedBy: string | null; queuedCount: number };
  messages: { items: { state: string; ndrAt: string | null }[] };
};

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

async function getConnector(request: APIRequestContext): Promise<Connector> {
  const list = await getJson<{ items: Connector[] }>(request, "/api/connectors");
  const found = list.items.find((c) => c.id === connector.id);
  if (!found) throw new Error("The on-premises connector disappeared.");
  return found;
}

async function domainTypes(request: APIRequestContext): Promise<Record<string, string>> {
  const list = await getJson<{ items: { name: string; type: string }[] }>(request, "/api/domains");
  return Object.fromEntries(list.items.map((d) => [d.name, d.type]));
}

/** "a", "a and b", "a, b and c": how the English page lists domain names. */
function listOf(names: readonly string[]): string {
  const prefix = names.length === 1 ? "Domain" : "Domains";
  return `${prefix} ${new Intl.ListFormat("en", { type: "conjunction" }).format(names)}`;
}
