import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { EMPTY_ORG } from "@/tests/e2e/auth-state";
import { signInToEmptyOrg } from "@/tests/e2e/empty-org";

// A new admin on an organisation that starts empty (the run's second server: no demo data, the
// first admin from ADMIN_EMAIL/ADMIN_PASSWORD). The steps build on each other, in one page.
test.describe.configure({ mode: "serial" });

const SHOTS = "test-results/screenshots";
let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await signInToEmptyOrg(browser, "en-US");
});

test.afterAll(async () => {
  await page.context().close();
});

test("with no connector the alerts page says what to do first, with the exact command", async () => {
  await page.goto("/");
  const start = page.getByTestId("getting-started");
  await expect(start.getByRole("heading", { name: "Get started: describe your mail system" })).toBeVisible();
  await expect(start.getByRole("link", { name: "Add them by hand" })).toHaveAttribute("href", "/connectors");
  await expect(start.getByRole("link", { name: "import them from Exchange Online" })).toHaveAttribute("href", "/settings/import");
  await expect(start.getByRole("link", { name: "Settings → API tokens" })).toHaveAttribute("href", "/settings/tokens");
  const command = start.getByTestId("first-event-command");
  await expect(command).toContainText(`curl -X POST ${EMPTY_ORG.baseURL}/api/events`);
  await expect(command).toContainText('"status":"deferred"');
  await page.screenshot({ path: `${SHOTS}/empty-start.png`, fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
});

test("an event for a connector that does not exist is refused with how to add one", async () => {
  const token = await page.request.post("/api/tokens", { headers: { origin: new URL(EMPTY_ORG.baseURL).origin }, data: { name: "first relay" } });
  expect(token.status()).toBe(201);
  const { token: secret } = (await token.json()) as { token: string };
  const res = await page.request.post("/api/events", {
    headers: { authorization: `Bearer ${secret}` },
    data: { occurredAt: new Date().toISOString(), connector: "To on-premises Exchange", messageId: "<first@contoso.example>", status: "deferred", errorCode: "450 4.4.316" },
  });
  expect(res.status()).toBe(422);
  const body = (await res.json()) as { rejected: { field: string; message: string }[] };
  expect(body.rejected[0]).toMatchObject({ field: "connector" });
  expect(body.rejected[0]!.message).toMatch(/Connectors page|org:import/);
});

test("the Swedish page says the same", async ({ browser }) => {
  const sv = await signInToEmptyOrg(browser, "sv-SE");
  await sv.goto("/");
  await expect(sv.getByTestId("getting-started").getByRole("heading", { name: "Kom igång: beskriv ditt e-postsystem" })).toBeVisible();
  await sv.screenshot({ path: `${SHOTS}/empty-start-sv.png`, fullPage: true });
  await sv.context().close();
});

test("the new admin imports Exchange Online's two files, sees the connectors and domains, edits one and finds it on its history", async () => {
  const fixtures = path.join(process.cwd(), "tests", "fixtures", "exchange");
  await page.goto("/settings/import");
  await page.getByLabel("Files from Exchange Online").setInputFiles([path.join(fixtures, "outbound-connectors.json"), path.join(fixtures, "accepted-domains.json")]);
  await page.getByRole("button", { name: "Show the preview" }).click();
  const preview = page.getByRole("region", { name: "3. Check the preview and apply it" });
  await expect(preview.getByTestId("preview-connectors")).toContainText("3 to add, 0 to change");
  await expect(preview.getByTestId("preview-domains")).toContainText("4 to add, 0 to change");
  await preview.getByRole("button", { name: "Apply the import" }).click();
  await expect(preview.getByRole("status").filter({ hasText: "Imported" })).toContainText("3 connectors added");

  await page.goto("/connectors");
  for (const name of ["To on-premises Exchange", "To Fabrikam", "Archive relay"]) await expect(page.getByRole("article", { name, exact: true })).toBeVisible();
  await page.goto("/domains");
  for (const name of ["contoso.onmicrosoft.com", "contoso.se", "sales.contoso.se", "lists.contoso.com"]) await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/empty-start-domains.png`, fullPage: true });

  await page.goto("/connectors");
  const card = page.getByRole("article", { name: "To Fabrikam", exact: true });
  await card.getByRole("button", { name: "Edit To Fabrikam" }).click();
  const edit = page.getByRole("dialog", { name: "Edit To Fabrikam" });
  await edit.getByLabel("Comment (optional)").fill("Invoices to Fabrikam; TLS checked by the partner in December");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await card.getByRole("link", { name: "View the history of To Fabrikam" }).click();
  const changes = page.getByRole("region", { name: "Changes and validations" });
  await expect(changes.getByRole("listitem").first()).toContainText("Connector changed by Admin");
  await expect(changes).toContainText("comment: Invoices to Fabrikam, TLS required → Invoices to Fabrikam; TLS checked by the partner in December");
  await expect(changes.getByRole("listitem").last()).toContainText("Connector added by Admin");
  await page.screenshot({ path: `${SHOTS}/empty-start-history.png`, fullPage: true });

  // Connectors exist now: the alerts page reports on them instead of the first steps.
  await page.goto("/");
  await expect(page.getByTestId("getting-started")).toHaveCount(0);
  await expect(page.getByText("All clear")).toBeVisible();
});
