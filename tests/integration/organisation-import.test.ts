import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as applyRoute } from "@/app/api/organisation/import/[id]/apply/route";
import { POST as previewRoute } from "@/app/api/organisation/import/route";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import type { ExchangeFile } from "@/lib/organisation/exchange/read";
import { updateConnector } from "@/lib/organisation/connector-service";
import { applyImport, previewImport } from "@/lib/organisation/import-service";
import { applyFixNow, undoFixNow } from "@/lib/remediation/service";
import { testActor } from "@/tests/helpers/actors";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { createConnector, createDomain } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// The Exchange import against Postgres: preview and apply of the sample files, the audit it
// writes, a second import that changes nothing, what exists only in the product, a product that
// moved after the preview, and Fix now waiting for the tenant (conflict, keep, take, confirm).
let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createAppTestDatabase();
  db = t.db;
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "AuditEntry", "Remediation", "QueuedMessage", "Alert", "AcceptedDomain", "Connector", "OrgImport" RESTART IDENTITY CASCADE`);
});

const admin = testActor("ada", "ADMIN");
const NOW = new Date("2026-11-27T11:00:00.000Z");
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "exchange");
const fixtureJson = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")) as Record<string, unknown>[];
const asFile = (name: string, value: unknown): ExchangeFile => ({ name, bytes: Buffer.from(JSON.stringify(value)) });

/** The sample files; `tenantFixed`: as the tenant looks after Fix now's commands ran there. */
function files({ tenantFixed = false } = {}): ExchangeFile[] {
  const connectors = fixtureJson("outbound-connectors.json");
  const domains = fixtureJson("accepted-domains.json");
  if (tenantFixed) {
    connectors[0]!.Enabled = false;
    for (const d of domains) if (d.DomainType === 2) d.DomainType = 0;
  }
  return [asFile("outbound-connectors.json", connectors), asFile("accepted-domains.json", domains)];
}

async function importFiles(input = files(), resolutions: Record<string, "keep" | "tenant"> = {}) {
  const preview = await previewImport(db, admin, input);
  const result = await applyImport(db, admin, preview.id, resolutions, NOW);
  return { preview, result };
}

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** After importing the samples: Fix now on an open 4.4.316 alert of the on-premises connector. */
async function fixNowApplied() {
  await importFiles();
  const connector = await db.connector.findUniqueOrThrow({ where: { name: "To on-premises Exchange" } });
  const alert = await db.alert.create({ data: { connectorId: connector.id, errorCode: "4.4.316", firstSeenAt: NOW, lastSeenAt: NOW } });
  await applyFixNow(db, { alertId: alert.id, actor: admin, now: NOW });
  const remediation = await db.remediation.findFirstOrThrow({ where: { alertId: alert.id } });
  return { connector, alert, remediation };
}

const domainTypes = async () => Object.fromEntries((await db.acceptedDomain.findMany()).map((d) => [d.name, d.type]));

describe("preview and apply", () => {
  it("stores the preview and adds the connectors and domains, each audited, with the relaying connectors", async () => {
    const preview = await previewImport(db, admin, files());
    expect(preview.connectors!.added.map((c) => c.name)).toEqual(["To on-premises Exchange", "To Fabrikam", "Archive relay"]);
    expect(await db.connector.count()).toBe(0);
    const stored = await db.orgImport.findUniqueOrThrow({ where: { id: preview.id } });
    expect(stored).toMatchObject({ createdBy: "ada", files: ["outbound-connectors.json", "accepted-domains.json"], appliedAt: null });

    const result = await applyImport(db, admin, preview.id, {}, NOW);
    expect(result).toEqual({
      id: preview.id, appliedBy: "ada", appliedAt: NOW.toISOString(),
      counts: { connectorsAdded: 3, connectorsChanged: 0, domainsAdded: 4, domainsChanged: 0, confirmed: 0, undone: 0, kept: 0 },
    });
    const onPrem = await db.connector.findUniqueOrThrow({ where: { name: "To on-premises Exchange" } });
    expect(onPrem).toMatchObject({ kind: "ON_PREMISES", enabled: true, smartHosts: ["mail.contoso.se", "203.0.113.25"], tlsMode: "CERTIFICATE_VALIDATION" });
    const domains = await db.acceptedDomain.findMany({ orderBy: { name: "asc" } });
    expect(domains.map((d) => [d.name, d.type, d.connectorId])).toEqual([
      ["contoso.onmicrosoft.com", "AUTHORITATIVE", null],
      ["contoso.se", "INTERNAL_RELAY", onPrem.id],
      ["lists.contoso.com", "EXTERNAL_RELAY", null],
      ["sales.contoso.se", "INTERNAL_RELAY", onPrem.id],
    ]);

    const audit = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([...Array(3).fill("connector.create"), ...Array(4).fill("domain.create"), "org.import"]);
    expect(audit.every((a) => a.actor === "ada" && a.at.getTime() === NOW.getTime())).toBe(true);
    expect(audit[0]!.note).toBe("Import from Exchange Online (outbound-connectors.json, accepted-domains.json)");
    expect(audit.at(-1)).toMatchObject({ targetType: "import", targetId: preview.id, after: { files: ["outbound-connectors.json", "accepted-domains.json"], connectorsAdded: 3, domainsAdded: 4 } });
    expect(await db.orgImport.findUniqueOrThrow({ where: { id: preview.id } })).toMatchObject({ appliedBy: "ada", appliedAt: NOW });
  });

  it("changes nothing and writes no change entries when the same files are imported again", async () => {
    await importFiles();
    const before = await snapshotData(db);
    const { preview, result } = await importFiles();
    expect(preview.connectors).toMatchObject({ added: [], changed: [], unchanged: ["To on-premises Exchange", "To Fabrikam", "Archive relay"] });
    expect(result.counts).toEqual({ connectorsAdded: 0, connectorsChanged: 0, domainsAdded: 0, domainsChanged: 0, confirmed: 0, undone: 0, kept: 0 });
    const after = await snapshotData(db);
    expect({ ...after, AuditEntry: "" }).toEqual({ ...before, AuditEntry: "" });
    const entries = await db.auditEntry.findMany({ where: { at: NOW }, orderBy: { id: "asc" } });
    expect(entries.filter((e) => e.action !== "org.import")).toHaveLength(3 + 4);
    expect(entries.filter((e) => e.action === "org.import")).toHaveLength(2);
  });

  it("changes what differs field by field, audited before and after, and keeps what exists only here", async () => {
    const changed = await createConnector(db, { name: "to on-premises exchange", kind: "ON_PREMISES", smartHosts: ["old.contoso.se"], recipientDomains: ["contoso.se", "*.contoso.se"], tlsMode: "CERTIFICATE_VALIDATION", comment: "Mail for the mailboxes still on premises" });
    const lab = await createConnector(db, { name: "Lab relay", recipientDomains: ["lab.contoso.se"] });
    await createDomain(db, { name: "lab.contoso.se", type: "INTERNAL_RELAY", connectorId: lab.id });
    const { preview } = await importFiles();
    expect(preview.connectors!.changed).toEqual([
      { id: changed.id, name: "to on-premises exchange", changes: [
        { field: "name", before: "to on-premises exchange", after: "To on-premises Exchange" },
        { field: "smartHosts", before: ["old.contoso.se"], after: ["mail.contoso.se", "203.0.113.25"] },
      ] },
    ]);
    expect(preview.connectors!.onlyHere).toEqual(["Lab relay"]);
    expect(preview.domains!.onlyHere).toEqual(["lab.contoso.se"]);

    expect(await db.connector.findUniqueOrThrow({ where: { id: changed.id } })).toMatchObject({ name: "To on-premises Exchange", smartHosts: ["mail.contoso.se", "203.0.113.25"] });
    expect(await db.connector.findUnique({ where: { id: lab.id } })).not.toBeNull();
    expect(await db.acceptedDomain.findUnique({ where: { name: "lab.contoso.se" } })).toMatchObject({ connectorId: lab.id });
    const update = await db.auditEntry.findFirstOrThrow({ where: { action: "connector.update", targetId: String(changed.id) } });
    expect(update).toMatchObject({
      before: { name: "to on-premises exchange", smartHosts: ["old.contoso.se"] },
      after: { name: "To on-premises Exchange", smartHosts: ["mail.contoso.se", "203.0.113.25"] },
    });
  });
});

describe("the queue lifetime, which Exchange does not have", () => {
  it("is 24 hours on an imported connector and is neither compared nor changed by a later import, before or after its preview", async () => {
    await importFiles();
    const onPrem = await db.connector.findUniqueOrThrow({ where: { name: "To on-premises Exchange" } });
    expect(onPrem.queueLifetimeMinutes).toBe(1440);
    expect((await db.auditEntry.findFirstOrThrow({ where: { action: "connector.create", targetId: String(onPrem.id) } })).after).toMatchObject({ queueLifetimeMinutes: 1440 });

    await updateConnector(db, admin, onPrem.id, { queueLifetimeMinutes: 7200 }, NOW);
    const connectors = fixtureJson("outbound-connectors.json");
    connectors[0]!.Comment = "Through the Postfix at the office";
    const input = [asFile("outbound-connectors.json", connectors), files()[1]!];
    const preview = await previewImport(db, admin, input);
    expect(preview.connectors).toMatchObject({ added: [], unchanged: ["To Fabrikam", "Archive relay"] });
    expect(preview.connectors!.changed).toEqual([
      { id: onPrem.id, name: "To on-premises Exchange", changes: [{ field: "comment", before: "Mail for the mailboxes still on premises", after: "Through the Postfix at the office" }] },
    ]);
    // Changed between the preview and its apply: not a change of what the preview compared.
    await updateConnector(db, admin, onPrem.id, { queueLifetimeMinutes: 2880 }, NOW);
    const result = await applyImport(db, admin, preview.id, {}, NOW);
    expect(result.counts).toMatchObject({ connectorsAdded: 0, connectorsChanged: 1 });
    expect(await db.connector.findUniqueOrThrow({ where: { id: onPrem.id } })).toMatchObject({ comment: "Through the Postfix at the office", queueLifetimeMinutes: 2880 });
    const updates = await db.auditEntry.findMany({ where: { action: "connector.update", targetId: String(onPrem.id) }, orderBy: { id: "asc" } });
    expect(updates.map((u) => [u.before, u.after, u.note?.startsWith("Import") ?? false])).toEqual([
      [{ queueLifetimeMinutes: 1440 }, { queueLifetimeMinutes: 7200 }, false],
      [{ queueLifetimeMinutes: 7200 }, { queueLifetimeMinutes: 2880 }, false],
      [{ comment: "Mail for the mailboxes still on premises" }, { comment: "Through the Postfix at the office" }, true],
    ]);
  });
});

describe("through the API", () => {
  it("takes the files as a multipart upload (UTF-16LE as Windows PowerShell writes it) and applies the preview by its id", async () => {
    const { cookie } = await createSignedInUser(db, "ADMIN", "Ada Admin");
    const form = new FormData();
    const [connectors, domains] = files();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(Buffer.from(connectors!.bytes).toString("utf8"), "utf16le")]);
    form.append("files", new Blob([utf16]), "outbound-connectors.json");
    form.append("files", new Blob([Buffer.from(domains!.bytes)]), "accepted-domains.json");
    const uploaded = await previewRoute(new Request("http://localhost/api/organisation/import", { method: "POST", headers: { cookie }, body: form }), undefined);
    expect(uploaded.status).toBe(201);
    const preview = (await uploaded.json()) as { id: string; connectors: { added: unknown[] }; domains: { added: unknown[] } };
    expect([preview.connectors.added.length, preview.domains.added.length]).toEqual([3, 4]);

    const apply = (body: unknown) =>
      applyRoute(new Request(`http://localhost/api/organisation/import/${preview.id}/apply`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({ id: preview.id }) });
    const applied = await apply({ resolutions: {} });
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ id: preview.id, appliedBy: "Ada Admin", counts: { connectorsAdded: 3, domainsAdded: 4 } });
    expect((await apply({ resolutions: {} })).status).toBe(409);
    expect(await db.connector.count()).toBe(3);
  });
});

describe("refusals", () => {
  it("refuses an apply when the product changed since the preview (409), and changes nothing", async () => {
    const connector = await createConnector(db, { name: "To Fabrikam", kind: "PARTNER", useMxRecord: true, smartHosts: [], recipientDomains: ["fabrikam.com"] });
    const preview = await previewImport(db, admin, files());
    await db.connector.update({ where: { id: connector.id }, data: { comment: "changed meanwhile" } });
    const before = await snapshotData(db);
    const error = await refused(applyImport(db, admin, preview.id, {}, NOW));
    expect([error.status, error.message]).toEqual([409, expect.stringMatching(/changed since this preview; preview the files again/)]);
    expect(await snapshotData(db)).toEqual(before);
  });

  it("applies a preview once, also when two admins apply it at the same moment", async () => {
    const preview = await previewImport(db, admin, files());
    const results = await Promise.allSettled([applyImport(db, admin, preview.id, {}, NOW), applyImport(db, testActor("bo", "ADMIN"), preview.id, {}, NOW)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected")!;
    expect(rejected.reason).toMatchObject({ status: 409, message: expect.stringMatching(/This preview was applied by (ada|bo)/) });
    expect(await db.connector.count()).toBe(3);
    expect(await db.auditEntry.count({ where: { action: "org.import" } })).toBe(1);
  });

  it("is for admins only, and an unknown preview is a 404", async () => {
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      expect((await refused(previewImport(db, testActor("op", role), files()))).status).toBe(403);
      expect((await refused(applyImport(db, testActor("op", role), "00000000-0000-4000-8000-000000000000", {}))).status).toBe(403);
    }
    expect((await refused(applyImport(db, admin, "00000000-0000-4000-8000-000000000000", {}))).status).toBe(404);
    expect(await db.orgImport.count()).toBe(0);
  });

  it("refuses bad files before storing anything", async () => {
    const error = await refused(previewImport(db, admin, [asFile("in.json", fixtureJson("inbound-connectors.json"))]));
    expect([error.status, error.message]).toEqual([400, expect.stringMatching(/Get-OutboundConnector/)]);
    expect(await db.orgImport.count()).toBe(0);
  });
});

describe("Fix now pending in Exchange Online", () => {
  it("is a conflict when the files still show the old state: no apply without a choice", async () => {
    const { remediation, alert } = await fixNowApplied();
    const preview = await previewImport(db, admin, files());
    expect(preview.conflicts).toEqual([
      expect.objectContaining({
        remediationId: remediation.id, alertId: alert.id, undone: false,
        fields: [
          expect.objectContaining({ name: "To on-premises Exchange", field: "enabled", product: false, tenant: true }),
          expect.objectContaining({ name: "contoso.se", field: "type", product: "AUTHORITATIVE", tenant: "INTERNAL_RELAY" }),
          expect.objectContaining({ name: "sales.contoso.se", field: "type", product: "AUTHORITATIVE", tenant: "INTERNAL_RELAY" }),
        ],
      }),
    ]);
    const before = await snapshotData(db);
    const missing = await refused(applyImport(db, admin, preview.id, {}, NOW));
    expect([missing.status, missing.message]).toEqual([400, expect.stringMatching(new RegExp(`Fix now ${remediation.id} on alert ${alert.id} \\(connector "To on-premises Exchange"\\)`))]);
    expect(missing.issues).toEqual([{ field: `resolutions.${remediation.id}`, message: "choose keep or tenant" }]);
    const unknown = await refused(applyImport(db, admin, preview.id, { [remediation.id]: "keep", 999: "tenant" }, NOW));
    expect(unknown.message).toMatch(/Not a conflict of this import: 999/);
    expect(await snapshotData(db)).toEqual(before);
  });

  it("keep: the import leaves Fix now's fields alone and the Fix now stays pending", async () => {
    const { remediation, connector } = await fixNowApplied();
    const { result } = await importFiles(files(), { [remediation.id]: "keep" });
    expect(result.counts).toMatchObject({ kept: 1, undone: 0, confirmed: 0, connectorsChanged: 0, domainsChanged: 0 });
    expect((await db.connector.findUniqueOrThrow({ where: { id: connector.id } })).enabled).toBe(false);
    expect(await domainTypes()).toMatchObject({ "contoso.se": "AUTHORITATIVE", "sales.contoso.se": "AUTHORITATIVE" });
    expect(await db.remediation.findUniqueOrThrow({ where: { id: remediation.id } })).toMatchObject({ undoneAt: null, tenantState: "PENDING" });
  });

  it("tenant: the import undoes the Fix now, audited as such, and records the tenant as showing it", async () => {
    const { remediation, connector, alert } = await fixNowApplied();
    const { result } = await importFiles(files(), { [remediation.id]: "tenant" });
    expect(result.counts).toMatchObject({ kept: 0, undone: 1, connectorsChanged: 0, domainsChanged: 0 });
    expect((await db.connector.findUniqueOrThrow({ where: { id: connector.id } })).enabled).toBe(true);
    expect(await domainTypes()).toMatchObject({ "contoso.se": "INTERNAL_RELAY", "sales.contoso.se": "INTERNAL_RELAY" });
    expect(await db.remediation.findUniqueOrThrow({ where: { id: remediation.id } })).toMatchObject({ undoneBy: "ada", undoneAt: NOW, tenantState: "CONFIRMED", tenantCheckedAt: NOW });
    const undo = await db.auditEntry.findFirstOrThrow({ where: { action: "remediation.undo", targetId: String(alert.id) } });
    expect(undo.note).toMatch(/^Import from Exchange Online \(outbound-connectors\.json, accepted-domains\.json\)/);
    const again = await previewImport(db, admin, files());
    expect([again.conflicts, again.connectors!.changed, again.domains!.changed]).toEqual([[], [], []]);
  });

  it("is confirmed by files that show its state, and so is its Undo later", async () => {
    const { remediation, alert } = await fixNowApplied();
    const { preview, result } = await importFiles(files({ tenantFixed: true }));
    expect(preview.confirmations).toEqual([{ remediationId: remediation.id, alertId: alert.id, connector: "To on-premises Exchange", undone: false }]);
    expect(result.counts).toMatchObject({ confirmed: 1, connectorsChanged: 0, domainsChanged: 0 });
    expect(await db.remediation.findUniqueOrThrow({ where: { id: remediation.id } })).toMatchObject({ tenantState: "CONFIRMED", tenantCheckedAt: NOW });
    expect(await db.auditEntry.findFirstOrThrow({ where: { action: "remediation.confirm" } })).toMatchObject({ targetType: "alert", targetId: String(alert.id), after: { remediationId: remediation.id, tenantState: "CONFIRMED" } });

    await undoFixNow(db, { alertId: alert.id, actor: admin, now: NOW });
    expect(await db.remediation.findUniqueOrThrow({ where: { id: remediation.id } })).toMatchObject({ tenantState: "PENDING" });
    // The tenant still shows Fix now's state: the import does not silently revert the Undo.
    const stale = await previewImport(db, admin, files({ tenantFixed: true }));
    expect(stale.conflicts).toMatchObject([{ remediationId: remediation.id, undone: true }]);
    const later = await importFiles(files());
    expect(later.preview.confirmations).toMatchObject([{ remediationId: remediation.id, undone: true }]);
    expect(await db.remediation.findUniqueOrThrow({ where: { id: remediation.id } })).toMatchObject({ tenantState: "CONFIRMED" });
  });
});
