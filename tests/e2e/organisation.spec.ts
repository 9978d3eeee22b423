import { expect as baseExpect, test } from "@playwright/test";
import { stateFile } from "./auth-state";
import { expectAccessible, saveScreenshot } from "./dashboard-checks";
import { removeFixtureConnectors } from "./e2e-fixtures";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";

// An admin manages connectors and accepted domains with the forms; the change shows on the
// connector's history; a viewer reads the same pages without the controls. The connector is
// named as a fixture, so it is removed afterwards and the demo-data tests see the demo only.
const expect = baseExpect.configure({ timeout: 15_000 });
const NAME = "E2E fixture: Fabrikam partner";

test.afterAll(async () => { await removeFixtureConnectors(); });

test("an admin adds a connector with the form, edits it and finds the change on its history", async ({ page }) => {
  test.slow();
  await page.goto("/connectors");
  await page.getByRole("button", { name: "Add connector" }).click();
  const form = page.getByRole("dialog", { name: "Add connector" });
  await expect(form.getByLabel("Name")).toBeFocused();
  await form.getByLabel("Name").fill(NAME);
  await form.getByLabel("Type").selectOption("PARTNER");
  await form.getByRole("textbox", { name: "Smart hosts" }).fill("mx1.fabrikam.example\nsmtp://mx2.fabrikam.example/relay");
  await form.getByLabel("Recipient domains").fill("fabrikam.example\n*.fabrikam.example");
  await form.getByLabel("TLS", { exact: true }).selectOption("DOMAIN_VALIDATION");
  await form.getByLabel("Certificate domain").fill("mail.fabrikam.example");
  await expectAccessible(page);
  await form.getByRole("button", { name: "Add connector" }).click();

  // The server names the smart host that is a URL at its input, and focus goes there.
  const smartHosts = form.getByRole("textbox", { name: "Smart hosts" });
  await expect(smartHosts).toHaveAttribute("aria-invalid", "true");
  await expect(smartHosts).toBeFocused();
  await expect(form).toContainText("is a URL; give only the host name or IP address");
  await expect(form.getByRole("alert")).toContainText("check the marked fields");
  await saveScreenshot(page, "connector-form-error");
  await smartHosts.fill("mx1.fabrikam.example\nmx2.fabrikam.example:2525");
  await form.getByRole("button", { name: "Add connector" }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `${NAME} was added.` })).toBeVisible();

  const card = page.getByRole("article", { name: NAME });
  await expect(card).toContainText("mx1.fabrikam.example, mx2.fabrikam.example:2525");
  await expect(card).toContainText("Domain validation");
  await card.getByRole("button", { name: `Edit ${NAME}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit ${NAME}` });
  await expect(edit.getByRole("textbox", { name: "Smart hosts" })).toHaveValue("mx1.fabrikam.example\nmx2.fabrikam.example:2525");
  await edit.getByLabel("Comment (optional)").fill("Payroll files to Fabrikam");
  await edit.getByLabel("TLS", { exact: true }).selectOption("CERTIFICATE_VALIDATION");
  await expect(edit.getByLabel("Certificate domain")).toHaveCount(0);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(card).toContainText("Payroll files to Fabrikam");
  await expect(card).toContainText("Certificate validation (trusted CA)");
  await saveScreenshot(page, "connectors-admin");

  await card.getByRole("link", { name: `View the history of ${NAME}` }).click();
  const changes = page.getByRole("region", { name: "Changes and validations" });
  await expect(changes.getByRole("listitem")).toHaveCount(2);
  await expect(changes.getByRole("listitem").first()).toContainText("Connector changed by admin");
  await expect(changes).toContainText("comment: — → Payroll files to Fabrikam");
  await expect(changes).toContainText("TLS: Domain validation → Certificate validation (trusted CA)");
  await expect(changes).toContainText("certificate domain: mail.fabrikam.example → —");
  await expect(changes.getByRole("listitem").last()).toContainText("Connector added by admin");
  await saveScreenshot(page, "connector-history-changes");
  await expectAccessible(page);
});

test("an admin adds an accepted domain relaying through the connector, changes its type and removes it", async ({ page }) => {
  await page.goto("/domains");
  await page.getByRole("button", { name: "Add domain" }).click();
  const form = page.getByRole("dialog", { name: "Add domain" });
  await form.getByLabel("Domain").fill("payroll.fabrikam.example");
  await form.getByLabel("Type").selectOption("INTERNAL_RELAY");
  await form.getByLabel("Relaying connector").selectOption({ label: NAME });
  await form.getByRole("button", { name: "Add domain" }).click();
  await expect(form).toBeHidden();
  const row = page.locator("tbody tr").filter({ hasText: "payroll.fabrikam.example" });
  await expect(row).toContainText("Internal relay");
  await expect(row).toContainText(NAME);

  await row.getByRole("button", { name: "Edit payroll.fabrikam.example" }).click();
  const edit = page.getByRole("dialog", { name: "Edit payroll.fabrikam.example" });
  await edit.getByLabel("Type").selectOption("AUTHORITATIVE");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText("Domain changed");
  await expect(row).toContainText("type: Internal relay → Authoritative");
  await saveScreenshot(page, "domains-admin");
  await expectAccessible(page);

  await row.getByRole("button", { name: "Remove payroll.fabrikam.example" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove payroll.fabrikam.example?" });
  await confirm.getByRole("button", { name: "Remove domain" }).click();
  await expect(page.getByRole("status").filter({ hasText: "payroll.fabrikam.example was removed." })).toBeVisible();
  await expect(page.locator("tbody tr").filter({ hasText: "payroll.fabrikam.example" })).toHaveCount(0);
});

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("VIEWER") });

  test("the connectors and domains read the same, without controls to change them", async ({ page }) => {
    await page.goto("/connectors");
    const card = page.getByRole("article", { name: NAME });
    await expect(card).toContainText("Payroll files to Fabrikam");
    await expect(card.getByRole("link", { name: `View the history of ${NAME}` })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add connector" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^(Edit|Disable|Enable|Retire|Restore|Delete) / })).toHaveCount(0);
    await saveScreenshot(page, "connectors-viewer");
    await page.goto("/domains");
    await expect(page.getByRole("heading", { level: 1, name: "Accepted domains" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^(Add domain|Edit|Remove)/ })).toHaveCount(0);
  });
});

test("an admin disables and retires the connector: greyed, marked Retired, history kept", async ({ page }) => {
  await page.goto("/connectors");
  const card = page.getByRole("article", { name: NAME });
  await card.getByRole("button", { name: `Disable ${NAME}` }).click();
  await expect(card.getByRole("button", { name: `Enable ${NAME}` })).toBeVisible();
  await card.getByRole("button", { name: `Retire ${NAME}` }).click();
  const confirm = page.getByRole("dialog", { name: `Retire ${NAME}?` });
  await expect(confirm).toContainText("Events sent for it are refused from now on");
  await confirm.getByRole("button", { name: "Retire connector" }).click();
  await expect(confirm).toBeHidden();
  await expect(card).toHaveAttribute("data-retired", "true");
  await expect(card).toContainText("Retired");
  await expect(card.getByRole("button", { name: `Restore ${NAME}` })).toBeVisible();
  await expect(card.getByRole("button", { name: `Edit ${NAME}` })).toHaveCount(0);
  await expect(card.getByRole("link", { name: NAME, exact: true })).toBeFocused();
  await saveScreenshot(page, "connector-retired");
  await expectAccessible(page);
});

test("the connector form speaks Swedish", async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: LOCALE_COOKIE, value: "sv", url: baseURL! }]);
  await page.goto("/connectors");
  await page.getByRole("button", { name: "Lägg till anslutning" }).click();
  const form = page.getByRole("dialog", { name: "Lägg till anslutning" });
  await expect(form.getByRole("textbox", { name: "Smarta värdar" })).toBeVisible();
  await expect(form.getByRole("radio", { name: "Via mottagardomänens MX-post" })).toBeVisible();
  await form.getByRole("button", { name: "Lägg till anslutning" }).click();
  await expect(form.getByRole("alert")).toContainText("Inget sparades: kontrollera de markerade fälten.");
  await expect(form.getByLabel("Namn")).toHaveAttribute("aria-invalid", "true");
  await saveScreenshot(page, "connector-form-sv");
  await form.getByRole("button", { name: "Avbryt" }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole("button", { name: "Lägg till anslutning" })).toBeFocused();
});
