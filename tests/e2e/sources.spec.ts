import { writeFile } from "node:fs/promises";
import path from "node:path";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";
import { EMPTY_ORG, stateFile } from "@/tests/e2e/auth-state";
import { signInToEmptyOrg, withEmptyDb } from "@/tests/e2e/empty-org";
import { expectAccessible, saveScreenshot } from "@/tests/e2e/dashboard-checks";

// The real sources' pages in the browser. On the empty organisation's server an admin adds a
// connector, uploads a Get-MessageTraceDetailV2 export the test writes (deferrals of 4.4.316 to
// the connector's domain, minutes old, so they raise an alert now) on Settings → Message trace,
// uploads it again, and follows the events to the alerts page, the connector's event list and
// Settings → Sources. A followed Postfix log made silent in the database shows its banner.
// The steps build on each other, in one page.
test.describe.configure({ mode: "serial" });

const expect = baseExpect.configure({ timeout: 15_000 });

const CONNECTOR = "Outbound to Sources e2e relay";
const DOMAIN = "sources-e2e.example";
// Long, as exports are named, to see the pages wrap it.
const FILE_NAME = "MessageTraceDetail_contoso-nordic_outbound-to-sources-e2e-relay_2026-12-01T0000Z-2359Z.csv";
const SILENT_LOG = "/var/log/mail/postfix-edge-relay-01.stockholm.sources-e2e.example/mail.log";
const FIXTURES = path.join("tests", "fixtures", "exchange-trace");

let page: Page;
let connectorId: number;
let traceFile: string;

test.beforeAll(async ({ browser }) => {
  page = await signInToEmptyOrg(browser);
  const res = await page.request.post("/api/connectors", {
    headers: { origin: new URL(EMPTY_ORG.baseURL).origin },
    data: { name: CONNECTOR, kind: "ON_PREMISES", smartHosts: ["mail.sources-e2e.example"], recipientDomains: [DOMAIN], tlsMode: "OPPORTUNISTIC" },
  });
  expect(res.status(), await res.text()).toBe(201);
  connectorId = ((await res.json()) as { id: number }).id;
  traceFile = test.info().outputPath(FILE_NAME);
  await writeFile(traceFile, detailExport(new Date()));
});

test.afterAll(async () => {
  await page.context().close();
  await withEmptyDb(async (db) => {
    await db.eventSource.deleteMany({ where: { kind: "postfix", name: SILENT_LOG } });
  });
});

test("an admin uploads a message trace: the summary, a second upload adds nothing, the alert, the Source column and the Sources page", async () => {
  test.slow();
  await page.goto("/settings/trace-import");
  await expect(page.getByRole("heading", { level: 1, name: "Import message trace" })).toBeVisible();
  await page.getByLabel(/Message trace export or tracking log/).setInputFiles(traceFile);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const summary = page.getByTestId("trace-summary");
  await expect(summary).toContainText(`Imported ${FILE_NAME}`);
  await expect(summary).toContainText("Get-MessageTraceDetailV2 export");
  await expect(figure(summary, "Rows read")).toHaveText("7");
  await expect(figure(summary, "Events made")).toHaveText("3");
  await expect(figure(summary, "Already imported")).toHaveText("0");
  await expect(figure(summary, "Skipped")).toHaveText("4");
  await expect(summary).toContainText("2 × Not a delivery attempt through a connector");
  await expect(summary).toContainText("1 × No connector routes the recipient's domain");
  await expect(summary).toContainText("1 × Delivered to a mailbox inside Exchange Online");
  await saveScreenshot(page, "trace-import-summary");
  await expectAccessible(page);

  await summary.getByRole("button", { name: "Import another file" }).click();
  await expect(summary).toBeHidden();
  await page.getByLabel(/Message trace export or tracking log/).setInputFiles(traceFile);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(figure(summary, "Events made")).toHaveText("0");
  await expect(figure(summary, "Already imported")).toHaveText("3");
  await saveScreenshot(page, "trace-import-again");

  await summary.getByRole("link", { name: "See the alerts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  const row = page.locator("tbody tr").filter({ hasText: CONNECTOR });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("4.4.316");
  await saveScreenshot(page, "trace-import-alerts");

  await page.goto(`/connectors/${connectorId}`);
  const events = page.getByRole("region", { name: "Events", exact: true });
  const eventRows = events.locator("tbody tr");
  await expect(eventRows).toHaveCount(3);
  for (const r of await eventRows.all()) {
    await expect(r).toContainText("Message trace");
    await expect(r).toContainText("4.4.316");
  }
  await saveScreenshot(page, "trace-import-connector-events");

  await page.goto("/settings/sources");
  const source = page.getByRole("region", { name: startsWith(`Message trace: ${FILE_NAME} (sha256 `) });
  await expect(source).toBeVisible();
  await saveScreenshot(page, "sources-admin");
  await expect(item(source, "Rows read (last import)")).toHaveText("7");
  await expect(item(source, "Latest row")).not.toHaveText("—");
  await expect(item(source, "Position")).toHaveCount(0);
  await expect(item(source, "Events made")).toHaveText("3");
  await expect(item(source, "Skipped")).toContainText("Not a delivery attempt through a connector");
  await expect(item(source, "Skipped")).not.toContainText("not-an-attempt");
  await expectAccessible(page);
});

test("a refused upload says why and changes nothing", async () => {
  const before = await countEvents();
  await page.goto("/settings/trace-import");
  const input = page.getByLabel(/Message trace export or tracking log/);
  const error = page.getByRole("region", { name: "2. Upload it" }).getByRole("alert");

  await input.setInputFiles(path.join(FIXTURES, "garbage.bin"));
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(error).toContainText("The import stopped");
  await expect(error).toContainText("garbage.bin is binary");
  await expect(error).toContainText("Nothing was imported.");
  await expect(page.getByTestId("trace-summary")).toHaveCount(0);
  await saveScreenshot(page, "trace-import-refused-binary");

  await input.setInputFiles(path.join(FIXTURES, "other-export-mailboxes.csv"));
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(error).toContainText("other-export-mailboxes.csv is not a message trace export");
  await expect(error).toContainText("Nothing was imported.");
  await saveScreenshot(page, "trace-import-refused-csv");
  await expectAccessible(page);
  expect(await countEvents()).toBe(before);

  await page.goto("/settings/sources");
  const refused = page.getByRole("region", { name: /^Message trace: other-export-mailboxes\.csv/ });
  await expect(refused).toContainText("Last read failed");
  await expect(item(refused, "Last error")).toContainText("is not a message trace export");
  await expect(item(refused, "Events made")).toHaveText("0");
  await saveScreenshot(page, "sources-refused");
});

test("a followed Postfix log gone silent: the banner on the alerts page names it and links to Sources, which says since when", async () => {
  const silentSince = new Date(Date.now() - 45 * 60_000);
  await withEmptyDb(async (db) => {
    const data = { path: SILENT_LOG, following: true, offset: 18_734n, linesRead: 412n, eventsMade: 37n, skipped: { "other program": 120, "not a delivery": 255 }, lastLineAt: silentSince, lastReadAt: silentSince, silentSince };
    await db.eventSource.upsert({ where: { kind_name: { kind: "postfix", name: SILENT_LOG } }, create: { kind: "postfix", name: SILENT_LOG, ...data }, update: data });
  });
  await page.goto("/");
  const banner = page.getByRole("alert").filter({ hasText: SILENT_LOG });
  await expect(banner).toContainText("has read no line since");
  await saveScreenshot(page, "sources-silent-banner");
  await expectAccessible(page);
  await banner.getByRole("link", { name: "See it on Settings → Sources" }).click();
  await expect(page).toHaveURL(/\/settings\/sources#source-\d+$/);
  const source = page.getByRole("region", { name: `Postfix log: ${SILENT_LOG}` });
  await expect(source).toContainText("Followed");
  await expect(source).toContainText("Silent since");
  await expect(item(source, "Skipped")).toContainText("120 × lines of other programs");
  await expect(item(source, "Time since the last line")).toHaveText(/minutes ago/);
  await saveScreenshot(page, "sources-silent");
  // On a phone the long path wraps inside its card, and the banner too.
  await page.setViewportSize({ width: 390, height: 844 });
  await saveScreenshot(page, "sources-silent-narrow");
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.goto("/");
  await expect(banner).toBeVisible();
  expect(await banner.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await saveScreenshot(page, "sources-silent-banner-narrow");
  await page.setViewportSize({ width: 1280, height: 720 });
});

test("in Swedish: the Sources page and the upload", async ({ browser }) => {
  const sv = await signInToEmptyOrg(browser, "sv-SE");
  await sv.context().addCookies([{ name: LOCALE_COOKIE, value: "sv", url: EMPTY_ORG.baseURL }]);
  await sv.goto("/settings/sources");
  await expect(sv.locator("html")).toHaveAttribute("lang", "sv");
  await expect(sv.getByRole("heading", { level: 1, name: "Källor" })).toBeVisible();
  const source = sv.getByRole("region", { name: startsWith(`Meddelandespårning: ${FILE_NAME} (sha256 `) });
  await expect(item(source, "Skapade händelser")).toHaveText("3");
  await expect(sv.getByRole("region", { name: `Postfix-logg: ${SILENT_LOG}` })).toContainText("Tyst sedan");
  await saveScreenshot(sv, "sources-sv");
  await expectAccessible(sv);

  await sv.goto("/settings/trace-import");
  await expect(sv.getByRole("heading", { level: 1, name: "Importera meddelandespårning" })).toBeVisible();
  await sv.getByLabel(/Export av meddelandespårning/).setInputFiles(traceFile);
  await sv.getByRole("button", { name: "Importera", exact: true }).click();
  const summary = sv.getByTestId("trace-summary");
  await expect(summary).toContainText(`Importerade ${FILE_NAME}`);
  await expect(figure(summary, "Redan importerade")).toHaveText("3");
  await expect(summary).toContainText("Ingen anslutning dirigerar mottagarens domän");
  await saveScreenshot(sv, "trace-import-sv");
  await expectAccessible(sv);

  await sv.getByLabel(/Export av meddelandespårning/).setInputFiles(path.join(FIXTURES, "other-export-mailboxes.csv"));
  await sv.getByRole("button", { name: "Importera", exact: true }).click();
  await expect(sv.getByRole("region", { name: "2. Ladda upp den" }).getByRole("alert")).toBeVisible();
  await saveScreenshot(sv, "trace-import-refused-sv");
  await sv.context().close();
});

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("VIEWER") });

  test("both pages say they are for admins, and the upload is refused", async ({ page: viewer }) => {
    await viewer.goto("/settings/trace-import");
    await expect(viewer.getByText("Only admins can import message trace files.")).toBeVisible();
    await expect(viewer.getByLabel(/Message trace export or tracking log/)).toHaveCount(0);
    await viewer.goto("/settings/sources");
    await expect(viewer.getByRole("heading", { level: 1, name: "Sources" })).toBeVisible();
    await expect(viewer.getByText("Only admins can see the sources.")).toBeVisible();
    await expect(viewer.getByRole("region", { name: /^(Postfix log|Message trace): / })).toHaveCount(0);
    await saveScreenshot(viewer, "sources-viewer");
    await expectAccessible(viewer);
    const res = await viewer.request.post("/api/sources/trace-import", {
      headers: { origin: new URL(test.info().project.use.baseURL!).origin },
      multipart: { file: { name: "trace.csv", mimeType: "text/csv", buffer: Buffer.from(detailExport(new Date())) } },
    });
    expect(res.status()).toBe(403);
  });
});

/**
 * A Get-MessageTraceDetailV2 | Export-Csv of the last half hour: three messages to the connector's
 * domain deferred with 4.4.316 (each received first), one deferred to a domain no connector
 * routes, and one delivered to a mailbox inside Exchange Online.
 */
function detailExport(now: Date): string {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString().slice(0, 19).replace("T", " ");
  const led = (host: string) =>
    `Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=${host}] [LastAttemptedIP=203.0.113.25:25]};{MSG=};{FQDN=${host}};{IP=203.0.113.25};{LRT=}]`;
  const rows: string[][] = [
    ["e2e-0001", at(30), "Receive", "Message received by: AM6PR01MB1234.eurprd01.prod.outlook.com", "<s1@contoso.se>", `lisa@${DOMAIN}`],
    ["e2e-0001", at(29), "Defer", led(`mail.${DOMAIN}`), "<s1@contoso.se>", `lisa@${DOMAIN}`],
    ["e2e-0002", at(20), "Defer", led(`mail.${DOMAIN}`), "<s2@contoso.se>", `bo@${DOMAIN}`],
    ["e2e-0003", at(10), "Receive", "Message received by: AM6PR01MB1234.eurprd01.prod.outlook.com", "<s3@contoso.se>", `eva@${DOMAIN}`],
    ["e2e-0003", at(9), "Defer", led(`mail.${DOMAIN}`), "<s3@contoso.se>", `eva@${DOMAIN}`],
    ["e2e-0004", at(8), "Defer", led("mx.nobody.example"), "<s4@contoso.se>", "kim@nobody.example"],
    ["e2e-0005", at(5), "Deliver", "The message was delivered to the mailbox.", "<s5@contoso.se>", "alice@contoso.onmicrosoft.com"],
  ];
  const header = ["MessageTraceId", "Date", "Event", "Detail", "MessageId", "RecipientAddress", "SenderAddress", "Organization"];
  const line = (fields: string[]) => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(",");
  return [line(header), ...rows.map((r) => line([...r, "alice@contoso.se", "contoso.onmicrosoft.com"]))].join("\r\n") + "\r\n";
}

function startsWith(text: string): RegExp {
  return new RegExp(`^${escaped(text)}`);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function figure(summary: ReturnType<Page["getByTestId"]>, label: string) {
  return summary.locator("dl > div").filter({ has: summary.page().locator("dt", { hasText: new RegExp(`^${escaped(label)}$`) }) }).locator("dd");
}

function item(panel: ReturnType<Page["locator"]>, label: string) {
  return panel.locator("dl > div").filter({ has: panel.page().locator("dt", { hasText: new RegExp(`^${escaped(label)}$`, "i") }) }).locator("dd");
}

async function countEvents(): Promise<number> {
  return withEmptyDb((db) => db.deliveryEvent.count());
}
