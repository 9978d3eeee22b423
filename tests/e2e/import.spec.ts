import path from "node:path";
import { expect, test } from "@playwright/test";
import { stateFile } from "@/tests/e2e/auth-state";
import { expectAccessible, saveScreenshot } from "./dashboard-checks";

// Settings → Import on the demo organisation: an admin uploads the sample files of
// tests/fixtures/exchange (written as Exchange Online PowerShell writes them), checks the
// preview and applies it, then finds the connectors on the Connectors page.
test.describe.configure({ mode: "serial" });

const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "exchange");

test("an admin uploads Exchange Online's output, sees the preview, applies it and finds the connectors", async ({ page }) => {
  await page.goto("/settings/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import from Exchange Online" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Import" })).toHaveAttribute("aria-current", "page");
  const commands = page.getByTestId("exchange-commands");
  await expect(commands).toContainText("Get-OutboundConnector | ConvertTo-Json -Depth 4 > outbound-connectors.json");
  await expect(commands).toContainText("Get-AcceptedDomain | ConvertTo-Json -Depth 4 > accepted-domains.json");
  await expect(commands.getByRole("button", { name: "Copy" })).toBeVisible();

  await page.getByLabel("Files from Exchange Online").setInputFiles([path.join(FIXTURES, "outbound-connectors.json"), path.join(FIXTURES, "accepted-domains.json")]);
  await page.getByRole("button", { name: "Show the preview" }).click();
  const preview = page.getByRole("region", { name: "3. Check the preview and apply it" });
  await expect(preview).toContainText("What importing outbound-connectors.json, accepted-domains.json changes.");
  const connectors = preview.getByTestId("preview-connectors");
  const added = connectors.getByRole("table", { name: "Connectors: To add" });
  await expect(added.getByRole("row", { name: /To Fabrikam/ })).toContainText("Domain validation");
  await expect(added.getByRole("row", { name: /To Fabrikam/ })).toContainText("*.fabrikam.com");
  await expect(added.getByRole("row", { name: /Archive relay/ })).toContainText("relay.northwind.example");
  // The demo's on-premises connector has the same name: the files change it, field by field.
  const changed = connectors.getByRole("table", { name: "Connectors: To change" });
  await expect(changed).toContainText("To on-premises Exchange");
  await expect(changed).toContainText("mail.contoso.se, 203.0.113.25");
  await expect(connectors).toContainText(/Only here: kept, an import never deletes \(\d+\):/);
  const domains = preview.getByTestId("preview-domains");
  await expect(domains).toContainText("4 to add, 0 to change");
  await expect(domains.getByRole("row", { name: /^contoso\.se/ })).toContainText("To on-premises Exchange");
  await saveScreenshot(page, "import-preview");
  await expectAccessible(page);

  await preview.getByRole("button", { name: "Apply the import" }).click();
  const done = preview.getByRole("status").filter({ hasText: "Imported" });
  await expect(done).toContainText("2 connectors added and 1 changed; 4 accepted domains added and 0 changed.");
  await saveScreenshot(page, "import-applied");

  await done.getByRole("link", { name: "See the connectors" }).click();
  await expect(page).toHaveURL(/\/connectors$/);
  for (const name of ["To on-premises Exchange", "To Fabrikam", "Archive relay"]) await expect(page.getByRole("article", { name, exact: true })).toBeVisible();
  await expect(page.getByRole("article", { name: "To on-premises Exchange", exact: true })).toContainText("sales.contoso.se");
});

test("importing the same files again changes nothing", async ({ page }) => {
  await page.goto("/settings/import");
  await page.getByLabel("Files from Exchange Online").setInputFiles([path.join(FIXTURES, "outbound-connectors.json"), path.join(FIXTURES, "accepted-domains.json")]);
  await page.getByRole("button", { name: "Show the preview" }).click();
  const preview = page.getByRole("region", { name: "3. Check the preview and apply it" });
  await expect(preview.getByTestId("preview-connectors")).toContainText("0 to add, 0 to change, 3 unchanged");
  await expect(preview.getByTestId("preview-domains")).toContainText("0 to add, 0 to change, 4 unchanged");
});

test("a file Exchange did not write for the import is refused with what to run instead", async ({ page }) => {
  await page.goto("/settings/import");
  await page.getByLabel("Files from Exchange Online").setInputFiles(path.join(FIXTURES, "inbound-connectors.json"));
  await page.getByRole("button", { name: "Show the preview" }).click();
  await expect(page.getByRole("region", { name: "2. Upload the two files" }).getByRole("alert")).toContainText("inbound-connectors.json holds inbound connectors (Get-InboundConnector); the import reads outbound connectors: run Get-OutboundConnector | ConvertTo-Json -Depth 4");
});

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("VIEWER") });

  test("the page says only admins import", async ({ page }) => {
    await page.goto("/settings/import");
    await expect(page.getByText("Only admins can import from Exchange Online.")).toBeVisible();
    await expect(page.getByLabel("Files from Exchange Online")).toHaveCount(0);
  });
});
