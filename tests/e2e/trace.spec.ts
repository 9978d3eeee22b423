import { expect as baseExpect, test } from "@playwright/test";
import type { TraceList, TraceRow } from "@/lib/trace/schemas";
import { stateFile } from "./auth-state";
import { expectAccessible, getJson, saveScreenshot } from "./dashboard-checks";

// Pages render on a shared 2-core machine: allow first paints more than the default 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

// A viewer may trace messages: reading events is theirs.
test.use({ storageState: stateFile("VIEWER") });

/** A message of the demo data retried at least twice in the last 48 hours, and its recipient's domain. */
async function retriedMessage(page: Parameters<typeof getJson>[0]): Promise<{ row: TraceRow; domain: string }> {
  const { items } = await getJson<TraceList>(page, "/api/trace?limit=200");
  const row = items.find((r) => r.attempts >= 2 && r.recipient.includes("@"));
  if (!row) throw new Error("The demo data has no message retried in the last 48 hours.");
  return { row, domain: row.recipient.slice(row.recipient.indexOf("@") + 1) };
}

test("a viewer searches the message trace from the page, the URL holds the search, and a message opens its story", async ({ page }) => {
  test.slow();
  const { row, domain } = await retriedMessage(page);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Message trace" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Message trace" })).toBeVisible();
  await expect(page.getByText(/^First attempts from /)).toBeVisible();

  const form = page.getByRole("search", { name: "Search the message trace" });
  await form.getByLabel("Recipient or @domain").fill(`@${domain.toUpperCase()}`);
  await form.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`recipient=%40${domain.toUpperCase().replace(/\./g, "\\.")}`));
  const rows = page.getByTestId("trace-row");
  await expect(rows.first()).toBeVisible();
  const recipients = await rows.locator("td:nth-child(4)").allInnerTexts();
  expect(recipients.length).toBeGreaterThan(0);
  for (const r of recipients) expect(r.endsWith(`@${domain}`)).toBe(true);
  await saveScreenshot(page, "trace-domain");
  await expectAccessible(page);

  // Export CSV takes the same search: every matching row, not only this page.
  const exportLink = page.getByRole("link", { name: "Export CSV" });
  await expect(exportLink).toHaveAttribute("href", new RegExp(`^/api/trace/export\\?recipient=%40${domain.toUpperCase().replace(/\./g, "\\.")}$`));
  const csv = await page.request.get((await exportLink.getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).split("\r\n").filter((l) => l !== "");
  expect(lines[0]).toContain("Trace id,First attempt (UTC)");
  expect(lines.length - 1).toBeGreaterThanOrEqual(recipients.length);
  for (const line of lines.slice(1)) expect(line).toContain(`@${domain}`);

  // A reload (or the link, shared) shows the same search and results.
  await page.reload();
  await expect(form.getByLabel("Recipient or @domain")).toHaveValue(`@${domain.toUpperCase()}`);
  expect(await rows.locator("td:nth-child(4)").allInnerTexts()).toEqual(recipients);

  await form.getByLabel("Recipient or @domain").fill("");
  await form.getByLabel("Message id").fill(row.messageId);
  await form.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/messageId=/);
  await expect(page).not.toHaveURL(/recipient=/);
  await page.getByRole("link", { name: `Story of ${row.messageId} to ${row.recipient}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Message story" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/trace/messages/${row.id}$`));
  await expect(page.getByTestId("story-attempt")).toHaveCount(row.attempts);
  await expect(page.getByRole("region", { name: "The message" })).toContainText(row.recipient);
  await expect(page.getByRole("region", { name: "Queue" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Alert" })).toBeVisible();
  await saveScreenshot(page, "trace-story");
  await expectAccessible(page);
  const alertLink = page.getByRole("region", { name: "Alert" }).getByRole("link");
  if (await alertLink.count()) {
    await alertLink.click();
    await expect(page).toHaveURL(/\/alerts\/\d+$/);
  }
});

test("a refused search says what is wrong in the page's language, in English and Swedish", async ({ page }) => {
  await page.goto("/trace?from=2026-11-30T10:00:00Z&to=2026-11-29T10:00:00Z&code=%25");
  const issues = page.getByTestId("trace-issues");
  await expect(issues).toContainText("Code: not a status code such as 4.4.316 or 450 4.4.316");
  await expect(issues).toContainText("To: must be later than “From”");
  await expect(page.getByLabel("Code", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("trace-row")).toHaveCount(0);
  await page.goto("/trace?cursor=bm90LWEtY3Vyc29y");
  await expect(page.getByText("This page link is not one this search handed out; start again from the first page.")).toBeVisible();
  await page.getByRole("link", { name: "First page" }).click();
  await expect(page).toHaveURL(/\/trace$/);
  await page.goto("/trace?from=2026-11-30T10:00:00Z&to=2026-11-29T10:00:00Z&code=%25");

  await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "SV" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Meddelandespårning" })).toBeVisible();
  await expect(issues).toContainText("Till: måste vara senare än ”Från”");
  await expect(issues).toContainText("Kod: inte en statuskod");
  await saveScreenshot(page, "trace-refused-sv");
  await expectAccessible(page);

  await page.goto("/trace?recipient=%40contoso.se&from=2025-01-01T00:00:00Z");
  await expect(issues).toContainText("intervallet är längre än 90 dagar");
  await page.goto("/trace");
  await expect(page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Meddelandespårning" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(/^Första försök från /)).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Senaste kod" })).toBeVisible();
  await saveScreenshot(page, "trace-sv");
  await expectAccessible(page);
});
