import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFixNow } from "@/lib/remediation/service";
import { testActor } from "@/tests/helpers/actors";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { runScriptToEnd } from "@/tests/helpers/run-script";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// npm run org:import as an admin runs it: the preview printed, --dry-run, the apply, a second
// run that changes nothing, conflicts that stop it (exit 2) until a choice is given, bad files (exit 1).
let t: TestDatabase;
let dir: string;
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "exchange");
const outbound = path.join(FIXTURES, "outbound-connectors.json");
const domains = path.join(FIXTURES, "accepted-domains.json");

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "org-import-"));
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runScriptToEnd("scripts/org-import.ts", args, { ...process.env, DATABASE_URL: t.url });

describe("npm run org:import", () => {
  it("prints the preview and changes nothing with --dry-run", async () => {
    const before = await snapshotData(t.db);
    const { code, stdout } = await run(outbound, domains, "--dry-run");
    expect(code).toBe(0);
    expect(stdout).toContain("Connectors: 3 to add, 0 to change, 0 unchanged, 0 only here (kept)");
    expect(stdout).toContain('  + To Fabrikam: comment "Invoices to Fabrikam, TLS required"; kind partner organisation; enabled yes; useMxRecord yes; smartHosts (none); recipientDomains fabrikam.com; tlsMode domain validation; tlsDomain "*.fabrikam.com"');
    expect(stdout).toContain('  + contoso.se: type Internal relay; connector "To on-premises Exchange"');
    expect(stdout).toContain("Dry run: nothing was changed.");
    expect(await snapshotData(t.db)).toEqual(before);
  });

  it("applies the files (UTF-16LE too), audited as the command line, and a second run changes nothing", async () => {
    const utf16 = path.join(dir, "outbound-connectors.json");
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(await readFile(outbound, "utf8"), "utf16le")]));
    const first = await run(utf16, domains);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Applied: connectors 3 added, 0 changed; accepted domains 4 added, 0 changed.");
    expect(await t.db.connector.count()).toBe(3);
    expect(await t.db.auditEntry.count({ where: { action: "org.import", actor: "command line" } })).toBe(1);

    const second = await run(outbound, domains);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Connectors: 0 to add, 0 to change, 3 unchanged, 0 only here (kept)");
    expect(second.stdout).toContain("  = To on-premises Exchange, To Fabrikam, Archive relay");
    expect(second.stdout).toContain("Applied: connectors 0 added, 0 changed; accepted domains 0 added, 0 changed.");
  });

  it("stops with exit code 2 on a conflict with a pending Fix now, until --keep-product or --take-tenant", async () => {
    const connector = await t.db.connector.findUniqueOrThrow({ where: { name: "To on-premises Exchange" } });
    const alert = await t.db.alert.create({ data: { connectorId: connector.id, errorCode: "4.4.316", firstSeenAt: new Date(), lastSeenAt: new Date() } });
    await applyFixNow(t.db, { alertId: alert.id, actor: testActor("ada", "ADMIN") });
    const before = await snapshotData(t.db);

    const stopped = await run(outbound, domains);
    expect(stopped.code).toBe(2);
    expect(stopped.stdout).toMatch(/! Fix now \d+ on alert \d+ \(connector "To on-premises Exchange"\) is pending in Exchange Online, but the files show otherwise:/);
    expect(stopped.stdout).toContain("      connector To on-premises Exchange enabled: here no, in Exchange Online yes");
    expect(stopped.stdout).toContain("      domain contoso.se type: here Authoritative, in Exchange Online Internal relay");
    expect(stopped.stderr).toContain("Nothing was applied: choose --keep-product");
    expect(await snapshotData(t.db)).toEqual(before);

    const kept = await run(outbound, domains, "--keep-product");
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("1 conflict(s) kept as the product has them");
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: connector.id } })).enabled).toBe(false);

    const taken = await run(outbound, domains, "--take-tenant");
    expect(taken.code).toBe(0);
    expect(taken.stdout).toContain("1 Fix now undone");
    expect((await t.db.connector.findUniqueOrThrow({ where: { id: connector.id } })).enabled).toBe(true);
  });

  it("refuses bad files and bad arguments with exit code 1 and a message", async () => {
    const inbound = await run(path.join(FIXTURES, "inbound-connectors.json"));
    expect([inbound.code, inbound.stderr]).toEqual([1, expect.stringMatching(/inbound-connectors\.json holds inbound connectors \(Get-InboundConnector\)/)]);
    const missing = await run(path.join(dir, "nope.json"));
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/Cannot read .*nope\.json: no such file/)]);
    const big = path.join(dir, "big.json");
    await writeFile(big, Buffer.alloc(6 * 1024 * 1024, 32));
    expect((await run(big)).stderr).toMatch(/big\.json is larger than 5 MB/);
    const both = await run(outbound, "--keep-product", "--take-tenant");
    expect([both.code, both.stderr]).toEqual([1, expect.stringMatching(/^Usage: npm run org:import/)]);
    const none = await run();
    expect(none.code).toBe(1);
  });
});
