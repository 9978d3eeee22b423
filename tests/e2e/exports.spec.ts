import { readFile } from "node:fs/promises";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { stateFile } from "./auth-state";
import { expectAccessible, saveScreenshot } from "./dashboard-checks";
import { refusedConnectorAlert, removeFixtureConnectors } from "@/tests/e2e/e2e-fixtures";

// Export CSV as people use it: the button on the alerts page and on Settings → Audit log, with
// the page's filters, and the downloaded file as a spreadsheet program reads it (a UTF-8 byte
// order mark, a header row in the page's language, Swedish letters intact, formulas neutralised).
const expect = baseExpect.configure({ timeout: 15_000 });

test.afterAll(removeFixtureConnectors);

const DETAILS = "=HYPERLINK(\"http://evil.example\") räksmörgås på Åland";

/** Clicks Export CSV and returns the file the browser saved, decoded, with its name. */
async function exportFromPage(page: Page): Promise<{ name: string; bytes: Buffer; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^(Export CSV|Exportera CSV)$/ }).click()]);
  const bytes = await readFile(await download.path());
  return { name: download.suggestedFilename(), bytes, text: bytes.toString("utf8") };
}

function rows(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split("\r\n").filter((line) => line !== "");
}

for (const lang of [
  { code: "en", alertsHeader: "Alert id,Connector,Code,Status,Severity,First seen (UTC)", auditHeader: "Entry id,Time (UTC),Who,Action,Target type,Target id,Before,After,Note", done: /^Exported \d+\.\d MB\.$/ },
  { code: "sv", alertsHeader: "Aviserings-id,Anslutning,Kod,Status,Allvarlighet,Först sedd (UTC)", auditHeader: "Post-id,Tid (UTC),Vem,Åtgärd,Måltyp,Mål-id,Före,Efter,Anteckning", done: /^Exporterade \d+,\d MB\.$/ },
] as const) {
  test(`Export CSV on the alerts page and the audit log downloads what the page shows (${lang.code})`, async ({ page, request, context, baseURL }) => {
    test.slow();
    await context.addCookies([{ name: "locale", value: lang.code, url: baseURL ?? "" }]);
    const label = `Göteborg relä ${lang.code}`;
    const { alertId, connectorId } = await refusedConnectorAlert(request, label, DETAILS);

    // The alerts page filtered to the fixture's connector: the file holds exactly its alert.
    await page.goto(`/?connector=${connectorId}&q=${encodeURIComponent("räksmörgås")}`);
    await expect(page.getByRole("link", { name: `E2E fixture: ${label}`, exact: true })).toBeVisible();
    const alerts = await exportFromPage(page);
    expect(alerts.name).toMatch(/^alerts-\d{8}T\d{4}Z\.csv$/);
    expect([...alerts.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const alertRows = rows(alerts.text);
    expect(alertRows[0]?.startsWith(lang.alertsHeader)).toBe(true);
    expect(alertRows).toHaveLength(2);
    expect(alertRows[1]).toMatch(new RegExp(`^${alertId},E2E fixture: ${label},4\\.4\\.316,ACTIVE,`));
    // The formula is shown as text: a leading quote, the field quoted for its commas and quotes.
    expect(alertRows[1]).toContain(`"'=HYPERLINK(""http://evil.example"") räksmörgås på Åland"`);
    await expect(page.getByRole("status").filter({ hasText: lang.done })).toBeVisible();
    await saveScreenshot(page, `exports-alerts-${lang.code}`);

    // The audit log, filtered to exports: the one just made is listed and exported with its filter.
    await page.goto("/settings/audit?action=export.csv");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(lang.code === "sv" ? "Granskningslogg" : "Audit log");
    await expect(page.getByRole("cell", { name: "export.csv" }).first()).toBeVisible();
    await expectAccessible(page);
    const audit = await exportFromPage(page);
    expect(audit.name).toMatch(/^audit-log-\d{8}T\d{4}Z\.csv$/);
    expect([...audit.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const auditRows = rows(audit.text);
    expect(auditRows[0]).toBe(lang.auditHeader);
    const entry = auditRows.find((line) => line.includes(`""connector"":${connectorId}`));
    expect(entry).toContain(",admin,export.csv,export,alerts,");
    expect(entry).toContain(`""q"":""räksmörgås""`);
    expect(entry).toContain(`""rows"":1`);
    await saveScreenshot(page, `exports-audit-${lang.code}`);
  });
}

test("the audit log's filters live in the URL and a reversed range is refused on the page", async ({ page }) => {
  await page.goto("/settings/audit");
  await page.getByLabel("Action", { exact: true }).fill("export.csv");
  await page.getByLabel("Target type").selectOption("export");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\/settings\/audit\?action=export.csv&targetType=export$/);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", "/api/audit/export?action=export.csv&targetType=export");
  await page.getByLabel("From").fill("2026-11-28T10:00");
  await page.getByLabel("To").fill("2026-11-27T10:00");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("“From” must be before “To”.")).toBeVisible();
  await expect(page).toHaveURL(/\?action=export.csv&targetType=export$/);
});

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("VIEWER") });

  test("exports the alerts they may read, and is told the audit log is for admins", async ({ page }) => {
    await page.goto("/?status=all");
    const alerts = await exportFromPage(page);
    expect(rows(alerts.text)[0]?.startsWith("Alert id,Connector,")).toBe(true);
    expect(rows(alerts.text).length).toBeGreaterThan(1);
    await page.goto("/settings/audit");
    await expect(page.getByText("Only admins can read the audit log.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
  });
});
