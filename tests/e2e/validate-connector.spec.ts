import { expect as baseExpect, test, type Page } from "@playwright/test";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";
import { EMPTY_ORG, stateFile } from "@/tests/e2e/auth-state";
import { signInToEmptyOrg } from "@/tests/e2e/empty-org";
import { expectAccessible, getJson, saveScreenshot } from "@/tests/e2e/dashboard-checks";
import { labAddress } from "@/tests/e2e/lab-files";
import type { Fault } from "@/tests/lab/lab";

// "Validate connector" in the browser. On the empty organisation's server an admin adds connectors
// to the fault lab (tests/lab/serve.ts, loopback only) and validates them; on the demo server the
// demo connectors cannot be validated and say why. The steps build on each other, in one page.
test.describe.configure({ mode: "serial" });

const expect = baseExpect.configure({ timeout: 15_000 });

let page: Page;
const ids: Partial<Record<Fault, number>> = {};

test.beforeAll(async ({ browser }) => {
  page = await signInToEmptyOrg(browser);
  for (const [fault, tlsMode] of [["healthy", "CERTIFICATE_VALIDATION"], ["hostileGreeting", "OPPORTUNISTIC"], ["neverGreets", "OPPORTUNISTIC"]] as const) {
    const res = await page.request.post("/api/connectors", {
      headers: { origin: new URL(EMPTY_ORG.baseURL).origin },
      data: { name: `Lab ${fault}`, kind: "ON_PREMISES", smartHosts: [labAddress(fault)], recipientDomains: ["lab.test"], tlsMode },
    });
    expect(res.status(), await res.text()).toBe(201);
    ids[fault] = ((await res.json()) as { id: number }).id;
  }
});

test.afterAll(async () => {
  await page.context().close();
});

test("an admin validates a lab connector with a test recipient: the steps, Passed, the certificate, the history and the timeline", async () => {
  await page.goto(`/connectors/${ids.healthy}`);
  await page.getByRole("button", { name: "Validate connector" }).click();
  const dialog = page.getByRole("dialog", { name: "Validate “Lab healthy”" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Test recipient (optional)")).toBeFocused();
  await dialog.getByLabel("Test recipient (optional)").fill("postmaster@lab.test");
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Validate", exact: true }).click();

  const steps = dialog.getByTestId("validation-steps");
  for (const name of ["connect", "greeting", "starttls", "tls", "certificate", "mail", "rcpt", "quit"]) {
    await expect(steps.locator(`[data-step="${name}"]`).first()).toContainText("passed");
  }
  await expect(steps.locator('[data-step="greeting"] pre')).toContainText("220 mail.lab.test");
  const outcome = dialog.getByTestId("validation-outcome");
  await expect(outcome).toContainText("Passed: every step succeeded");
  await expect(dialog.getByRole("heading", { name: "Certificates seen" })).toBeVisible();
  await expect(dialog.locator("dd", { hasText: "CN=Mailflow Lab CA" })).toBeVisible();
  await expect(dialog.locator("dd", { hasText: /^TLSv1\.3$/ })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Validate again" })).toBeEnabled();
  await saveScreenshot(page, "validate-dialog-passed");
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Validate connector" })).toBeFocused();

  const history = page.getByRole("region", { name: "Validations", exact: true });
  const row = history.getByRole("row").filter({ hasText: "postmaster@lab.test" });
  await expect(row).toContainText("Passed");
  await expect(row).toContainText(EMPTY_ORG.email);
  await row.getByRole("button", { name: /Show steps of the validation at/ }).click();
  await expect(history.locator('[data-step="rcpt"]')).toContainText("passed");
  const timeline = page.getByRole("region", { name: "Changes and validations" });
  await expect(timeline.getByRole("listitem").first()).toContainText("Validation passed");
  await expect(timeline).toContainText("Connector added");
  await expect(page.getByRole("region", { name: "Events over time by result" })).toContainText("Validation (✓ passed, ✗ failed)");
  // The chart flags the validation (✓) beside the change (⚑), though the connector has no traffic.
  await expect(page.locator(".recharts-reference-line")).toHaveCount(2);
  await expect(page.locator("text.recharts-label", { hasText: "✓" })).toHaveCount(1);
  await saveScreenshot(page, "validate-history");
  await expectAccessible(page);
});

test("the steps arrive while the server is still waiting, and the failure is named by its code", async () => {
  await page.goto(`/connectors/${ids.neverGreets}`);
  await page.getByRole("button", { name: "Validate connector" }).click();
  const dialog = page.getByRole("dialog", { name: "Validate “Lab neverGreets”" });
  await dialog.getByRole("button", { name: "Validate", exact: true }).click();
  // The lab server accepts and never greets: connect is shown long before the greeting times out.
  await expect(dialog.locator('[data-step="connect"]')).toContainText("passed");
  await expect(dialog.getByRole("button", { name: "Validating…" })).toBeDisabled();
  await expect(dialog.getByTestId("validation-outcome")).toHaveCount(0);
  await saveScreenshot(page, "validate-dialog-running");
  await expect(dialog.getByTestId("validation-outcome")).toContainText("Failed: 450 4.4.318 Connection was closed abruptly", { timeout: 45_000 });
  await expect(dialog.locator('[data-step="greeting"]')).toContainText("failed");
  await saveScreenshot(page, "validate-dialog-failed");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("region", { name: "Validations", exact: true }).getByRole("row").nth(1)).toContainText("450 4.4.318");
});

test("a hostile greeting shows as text and runs no script", async () => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/connectors/${ids.hostileGreeting}`);
  await page.getByRole("button", { name: "Validate connector" }).click();
  const dialog = page.getByRole("dialog", { name: "Validate “Lab hostileGreeting”" });
  await dialog.getByRole("button", { name: "Validate", exact: true }).click();
  const greeting = dialog.locator('[data-step="greeting"] pre');
  await expect(greeting).toHaveText("220 mail.lab.test <script>alert(1)</script> ESMTP");
  await expect(dialog.getByTestId("validation-outcome")).toContainText("Passed");
  await expect(dialog.locator("script")).toHaveCount(0);
  await saveScreenshot(page, "validate-hostile-greeting");
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByRole("region", { name: "Validations", exact: true }).getByRole("button", { name: /Show steps of the validation at/ }).first().click();
  await expect(page.getByRole("region", { name: "Validations", exact: true }).locator('[data-step="greeting"] pre')).toHaveText("220 mail.lab.test <script>alert(1)</script> ESMTP");
  await expect(page.locator("main script")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("in Swedish: the dialog, its steps and the outcome", async ({ browser }) => {
  const sv = await signInToEmptyOrg(browser, "sv-SE");
  await sv.context().addCookies([{ name: LOCALE_COOKIE, value: "sv", url: EMPTY_ORG.baseURL }]);
  await sv.goto(`/connectors/${ids.healthy}`);
  await expect(sv.locator("html")).toHaveAttribute("lang", "sv");
  await sv.getByRole("button", { name: "Validera anslutning" }).click();
  const dialog = sv.getByRole("dialog", { name: "Validera ”Lab healthy”" });
  await dialog.getByLabel("Testmottagare (valfritt)").fill("postmaster@lab.test");
  await dialog.getByRole("button", { name: "Validera", exact: true }).click();
  await expect(dialog.locator('[data-step="certificate"]')).toContainText("Certifikat");
  await expect(dialog.getByTestId("validation-outcome")).toContainText("Godkänd: alla steg lyckades");
  await expect(dialog.getByRole("button", { name: "Validera igen" })).toBeEnabled();
  await saveScreenshot(sv, "validate-dialog-sv");
  await expectAccessible(sv);
  await dialog.getByRole("button", { name: "Stäng" }).click();
  await expect(sv.getByRole("region", { name: "Valideringar", exact: true }).getByRole("row").nth(1)).toContainText("Godkänd");
  await expect(sv.getByRole("region", { name: "Ändringar och valideringar" })).toContainText("Validering godkänd");
  await saveScreenshot(sv, "validate-history-sv");
  await sv.context().close();
});

test.describe("on the demo server", () => {
  test("a demo connector's Validate button is disabled and says why; the API refuses it too", async ({ page: demoPage }) => {
    const { items } = await getJson<{ items: { id: number; name: string; demo: boolean }[] }>(demoPage, "/api/connectors");
    const connector = items.find((c) => c.demo);
    if (!connector) throw new Error("The demo data has no demo connector.");
    await demoPage.goto(`/connectors/${connector.id}`);
    const button = demoPage.getByRole("button", { name: "Validate connector" });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(/This is a demo connector: .* never validated, neither on a schedule nor by a click/);
    await expect(demoPage.getByText(/This is a demo connector/)).toBeVisible();
    await saveScreenshot(demoPage, "validate-demo-disabled");
    await expectAccessible(demoPage);
    const res = await demoPage.request.post(`/api/connectors/${connector.id}/validations`, { headers: { origin: new URL(test.info().project.use.baseURL!).origin }, data: {} });
    expect(res.status()).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/demo connector.*Nothing was sent/);
  });

  test.describe("as a viewer", () => {
    test.use({ storageState: stateFile("VIEWER") });
    test("there is no Validate button, but the history is there", async ({ page: viewerPage }) => {
      const { items } = await getJson<{ items: { id: number }[] }>(viewerPage, "/api/connectors");
      await viewerPage.goto(`/connectors/${items[0]!.id}`);
      await expect(viewerPage.getByRole("region", { name: "Validations", exact: true })).toContainText("This connector has not been validated yet.");
      await expect(viewerPage.getByRole("button", { name: "Validate connector" })).toHaveCount(0);
    });
  });
});
