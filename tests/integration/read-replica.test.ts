import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getAlert } from "@/app/api/alerts/[id]/route";
import { POST as postAction } from "@/app/api/alerts/[id]/actions/route";
import { POST as postFixNow } from "@/app/api/alerts/[id]/fix-now/route";
import { GET as getAlertExport } from "@/app/api/alerts/export/route";
import { GET as getAlerts } from "@/app/api/alerts/route";
import { GET as getAuditExport } from "@/app/api/audit/export/route";
import { GET as getAudit } from "@/app/api/audit/route";
import { GET as getEventExport } from "@/app/api/connectors/[id]/events/export/route";
import { GET as getValidations, POST as postValidation } from "@/app/api/connectors/[id]/validations/route";
import { GET as getDomains } from "@/app/api/domains/route";
import { GET as getTraceExport } from "@/app/api/trace/export/route";
import { GET as getTraceStory } from "@/app/api/trace/messages/[id]/route";
import { GET as getTrace } from "@/app/api/trace/route";
import { closeCachedDb, closeDb, createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { READ_AFTER_COOKIE, READ_PRIMARY, REPLICA_RETRY_MS, parseLsn } from "@/lib/db/read-routing";
import { resetReplicaState } from "@/lib/db/reader";
import { resetEnvCache } from "@/lib/env";
import { ingestEvents } from "@/lib/events/ingest";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { pauseReplay, replayed, resumeReplay } from "@/tests/helpers/replication";
import { createCluster, createReplica, postgresBin, type Cluster } from "@/tests/helpers/throwaway-cluster";
import { startLab, type Lab } from "@/tests/lab/lab";

// Reads from a real streaming replica: a throwaway primary and its hot standby (pg_basebackup -R)
// on free loopback ports, never the shared server. Pausing the standby's replay makes it visibly
// behind, so each answer shows which server gave it: the replica's old state or the primary's new.
const bin = postgresBin();
let primary: Cluster | undefined;
let replica: Cluster | undefined;
let pdb: Db;
let rdb: Db;
let cookie: string;
let lab: Lab | undefined;

beforeAll(async () => {
  if (!bin) return;
  primary = await createCluster(bin);
  await migrate(primary.url);
  replica = await createReplica(bin, primary);
  pdb = createDb(primary.url, 4);
  rdb = createDb(replica.url, 2);
  process.env.DATABASE_URL = primary.url;
  process.env.DATABASE_READ_URL = replica.url;
  lab = await startLab({ faults: ["refused"] });
  process.env.PROBE_DNS_SERVERS = lab.dns.server;
  resetEnvCache();
  await closeCachedDb();
  resetReplicaState();
  cookie = sessionOnly((await createSignedInUser(pdb, "ADMIN")).cookie);
}, 120_000);

afterAll(async () => {
  try {
    await closeCachedDb();
    if (pdb) await closeDb(pdb);
    if (rdb) await closeDb(rdb);
  } finally {
    delete process.env.DATABASE_READ_URL;
    delete process.env.PROBE_DNS_SERVERS;
    await lab?.stop();
    resetEnvCache();
    resetReplicaState();
    replica?.remove();
    primary?.remove();
  }
});

// A test that failed with replay paused must not leave the next one waiting for the replica.
afterEach(async () => {
  if (rdb) await resumeReplay(rdb).catch(() => undefined);
});

describe.skipIf(!bin)("reads from a streaming replica", () => {
  it("without the cookie a read is the replica's; after a write its author reads the primary until the replica has replayed it", { timeout: 60_000 }, async () => {
    const connector = await createConnector(pdb);
    const alert = await createAlert(connector.id, "4.4.315");
    await replayed(pdb, rdb);
    await pauseReplay(rdb);

    const acted = await postAction(request(`/api/alerts/${alert.id}/actions`, cookie, { method: "POST", body: JSON.stringify({ action: "acknowledge" }) }), params(alert.id));
    expect(acted.status).toBe(200);
    const { status: written } = (await acted.json()) as { status: string };
    expect(written).not.toBe("ACTIVE");
    const readAfter = readAfterCookie(acted);
    expect(parseLsn(readAfter.split("=")[1])).not.toBeNull();
    expect(acted.headers.get("set-cookie")).toMatch(/Max-Age=60; HttpOnly; SameSite=Lax/);

    // No cookie: the paused replica answers, without the acknowledgement.
    expect(await alertStatus(alert.id, cookie)).toBe("ACTIVE");
    expect(await listedWith(written, cookie)).toEqual([]);
    // The cookie: the replica has not replayed the write, so the primary answers.
    expect(await alertStatus(alert.id, `${cookie}; ${readAfter}`)).toBe(written);
    expect(await listedWith(written, `${cookie}; ${readAfter}`)).toEqual([alert.id]);
    // A cookie that is not a WAL position reads the primary too.
    expect(await alertStatus(alert.id, `${cookie}; ${READ_AFTER_COOKIE}=junk`)).toBe(written);

    // Reads and refused writes leave no cookie.
    const read = await getAlert(request(`/api/alerts/${alert.id}`, cookie), params(alert.id));
    expect(read.headers.get("set-cookie")).toBeNull();
    const refused = await postAction(request(`/api/alerts/${alert.id}/actions`, cookie, { method: "POST", body: JSON.stringify({ action: "dismiss" }) }), params(alert.id));
    expect(refused.status).toBe(400);
    expect(refused.headers.get("set-cookie")).toBeNull();

    // Once replayed that far, the cookie's reads go back to the replica: a later change made on
    // the primary while replay is paused again is not seen, although it is there.
    await resumeReplay(rdb);
    await replayed(pdb, rdb);
    await pauseReplay(rdb);
    await pdb.alert.update({ where: { id: alert.id }, data: { status: "RESOLVED" } });
    expect(await alertStatus(alert.id, `${cookie}; ${readAfter}`)).toBe(written);
    expect((await pdb.alert.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe("RESOLVED");
    await resumeReplay(rdb);
  });

  it("a streamed write (Validate connector) sends its author's reads to the primary for the cookie's lifetime", { timeout: 60_000 }, async () => {
    const connector = await createConnector(pdb, { name: "Lab refused", smartHosts: [lab!.address("refused")] });
    await replayed(pdb, rdb);
    await pauseReplay(rdb);
    const run = await postValidation(request(`/api/connectors/${connector.id}/validations`, cookie, { method: "POST" }), params(connector.id));
    expect(run.status).toBe(200);
    // The headers left before the validation was written: no WAL position could cover it.
    expect(readAfterCookie(run)).toBe(`${READ_AFTER_COOKIE}=${READ_PRIMARY}`);
    expect(await run.text()).toContain('"type":"result"');

    const validations = async (cookieHeader: string) => {
      const res = await getValidations(request(`/api/connectors/${connector.id}/validations`, cookieHeader), params(connector.id));
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: unknown[] }).items.length;
    };
    expect(await validations(`${cookie}; ${readAfterCookie(run)}`)).toBe(1);
    expect(await validations(cookie)).toBe(0);
  });

  it("sign-in and session checks stay on the primary: a user the replica has not seen yet is let in", { timeout: 60_000 }, async () => {
    await replayed(pdb, rdb);
    await pauseReplay(rdb);
    const newcomer = sessionOnly((await createSignedInUser(pdb, "VIEWER", "newcomer")).cookie);
    expect(await rdb.user.count({ where: { name: "newcomer" } })).toBe(0);
    const res = await getAlerts(request("/api/alerts", newcomer), undefined);
    expect(res.status).toBe(200);
    await resumeReplay(rdb);
  });

  it("after Fix now the alert and the domains read at once show the change, while the replica is still behind", { timeout: 60_000 }, async () => {
    const onPrem = await createConnector(pdb, { name: "To contoso on-premises", kind: "ON_PREMISES" });
    const relay = await createDomain(pdb, { name: "a.contoso.example", type: "INTERNAL_RELAY", connectorId: onPrem.id });
    const alert = await createAlert(onPrem.id, "4.4.316");
    await replayed(pdb, rdb);
    await pauseReplay(rdb);

    const fixed = await postFixNow(request(`/api/alerts/${alert.id}/fix-now`, cookie, { method: "POST", body: JSON.stringify({ expectedDomainIds: [relay.id] }) }), params(alert.id));
    expect(fixed.status).toBe(200);
    const readAfter = readAfterCookie(fixed);

    const detail = await getAlert(request(`/api/alerts/${alert.id}`, `${cookie}; ${readAfter}`), params(alert.id));
    const body = (await detail.json()) as { remediation: { kind: string } | null; domains: { id: number; type: string }[] };
    expect(body.remediation).not.toBeNull();
    expect(body.domains).toEqual([expect.objectContaining({ id: relay.id, type: "AUTHORITATIVE" })]);
    expect(await domainType(relay.id, `${cookie}; ${readAfter}`)).toBe("AUTHORITATIVE");
    // The replica, read without the cookie, is still before Fix now.
    expect(await domainType(relay.id, cookie)).toBe("INTERNAL_RELAY");
    await resumeReplay(rdb);
  });

  it("trace, audit log and CSV exports read the replica; the audit entries they write are looked up and written on the primary", { timeout: 60_000 }, async () => {
    const connector = await createConnector(pdb, { name: "Traced" });
    const send = (sender: string) =>
      ingestEvents(pdb, [buildEvent({ connector: connector.id, occurredAt: new Date(Date.now() - 60_000).toISOString(), sender, status: "delivered", errorCode: undefined })]);
    await send("before@contoso.example");
    await createAlert(connector.id, "4.4.317");
    await replayed(pdb, rdb);
    await pauseReplay(rdb);
    await send("after@contoso.example");
    await createAlert(connector.id, "4.4.318");
    const late = await pdb.traceMessage.findFirstOrThrow({ where: { sender: "after@contoso.example" } });
    const onPrimary = `${cookie}; ${READ_AFTER_COOKIE}=${READ_PRIMARY}`;
    const audited = (client: Db, action: string) => client.auditEntry.count({ where: { action } });

    // The paused replica has only the first message; the primary (the primary cookie) has both.
    expect(await traceSenders(connector.id, cookie)).toEqual(["before@contoso.example"]);
    expect(await traceSenders(connector.id, onPrimary)).toEqual(["after@contoso.example", "before@contoso.example"]);
    expect((await getTraceStory(request(`/api/trace/messages/${late.id}`, cookie), params(Number(late.id)))).status).toBe(404);
    expect((await getTraceStory(request(`/api/trace/messages/${late.id}`, onPrimary), params(Number(late.id)))).status).toBe(200);
    // One entry for the two searches of the same terms: the second's lookup saw the first's entry on
    // the primary, which the paused replica has not replayed.
    expect(await audited(pdb, "trace.search")).toBe(1);
    expect(await audited(pdb, "trace.view")).toBe(1);
    expect(await audited(rdb, "trace.search")).toBe(0);

    expect(await auditActions("trace.search", cookie)).toBe(0);
    expect(await auditActions("trace.search", onPrimary)).toBe(1);

    // One after another: a user has only a few export slots.
    const exports: [() => Promise<Response>, number][] = [
      [() => getAlertExport(request(`/api/alerts/export?connector=${connector.id}`, cookie), undefined), 1],
      [() => getTraceExport(request(`/api/trace/export?connector=${connector.id}`, cookie), undefined), 1],
      [() => getEventExport(request(`/api/connectors/${connector.id}/events/export`, cookie), params(connector.id)), 1],
      [() => getAuditExport(request("/api/audit/export?action=trace.search", cookie), undefined), 0],
    ];
    for (const [exported, rows] of exports) expect(await csvRows(await exported())).toBe(rows);
    expect(await audited(pdb, "export.csv")).toBe(4);
    await resumeReplay(rdb);
  });

  it("a replica that cannot be reached: reads answer from the primary, logged once; it is used again once back", { timeout: 90_000 }, async () => {
    const connector = await createConnector(pdb);
    const alert = await createAlert(connector.id, "4.7.320");
    await replayed(pdb, rdb);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    try {
      replica!.stop("immediate");
      await pdb.alert.update({ where: { id: alert.id }, data: { status: "RESOLVED" } });
      for (let i = 0; i < 5; i++) expect(await alertStatus(alert.id, cookie)).toBe("RESOLVED");
      expect(await domainsStatus(cookie)).toBe(200);
      const lost = warn.mock.calls.filter(([line]) => String(line).includes("read replica unreachable"));
      expect(lost).toHaveLength(1);

      replica!.start();
      await new Promise((resolve) => setTimeout(resolve, REPLICA_RETRY_MS + 200));
      await replayed(pdb, rdb);
      await pauseReplay(rdb);
      await pdb.alert.update({ where: { id: alert.id }, data: { status: "ACTIVE" } });
      // Back on the replica: the paused replica's state, not the primary's.
      expect(await alertStatus(alert.id, cookie)).toBe("RESOLVED");
      expect(info.mock.calls.filter(([line]) => String(line).includes("reachable again"))).toHaveLength(1);
      expect(warn.mock.calls.filter(([line]) => String(line).includes("read replica unreachable"))).toHaveLength(1);
      await resumeReplay(rdb);
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });
});

function createAlert(connectorId: number, errorCode: string) {
  const at = new Date();
  return pdb.alert.create({ data: { connectorId, errorCode, firstSeenAt: at, lastSeenAt: at, eventCount: 3, messageCount: 3, queuedCount: 3, oldestQueuedAt: at } });
}

function request(path: string, cookieHeader: string, init: RequestInit = {}): Request {
  return new Request(`http://localhost${path}`, { ...init, headers: { "content-type": "application/json", origin: "http://localhost", cookie: cookieHeader } });
}

/** A sign-in is a write too, so its cookies include the position; tests add their own. */
function sessionOnly(cookies: string): string {
  return cookies.split("; ").filter((c) => !c.startsWith(`${READ_AFTER_COOKIE}=`)).join("; ");
}

function params(id: number) {
  return { params: Promise.resolve({ id: String(id) }) };
}

function readAfterCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${READ_AFTER_COOKIE}=`));
  if (!set) throw new Error(`no ${READ_AFTER_COOKIE} cookie on the write's response`);
  return set.split(";")[0] ?? "";
}

async function alertStatus(id: number, cookieHeader: string): Promise<string> {
  const res = await getAlert(request(`/api/alerts/${id}`, cookieHeader), params(id));
  expect(res.status).toBe(200);
  return ((await res.json()) as { alert: { status: string } }).alert.status;
}

/** The ids the alert list shows filtered by a status. */
async function listedWith(status: string, cookieHeader: string): Promise<number[]> {
  const res = await getAlerts(request(`/api/alerts?status=${status}`, cookieHeader), undefined);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: number }[] }).items.map((a) => a.id);
}

async function domainType(id: number, cookieHeader: string): Promise<string | undefined> {
  const res = await getDomains(request("/api/domains", cookieHeader), undefined);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { id: number; type: string }[] };
  return body.items.find((d) => d.id === id)?.type;
}

/** The senders a trace search of the connector lists, sorted. */
async function traceSenders(connectorId: number, cookieHeader: string): Promise<string[]> {
  const res = await getTrace(request(`/api/trace?connector=${connectorId}`, cookieHeader), undefined);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { sender: string }[] }).items.map((m) => m.sender).sort();
}

/** How many entries with the action the audit log lists. */
async function auditActions(action: string, cookieHeader: string): Promise<number> {
  const res = await getAudit(request(`/api/audit?action=${action}`, cookieHeader), undefined);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: unknown[] }).items.length;
}

/** The data rows of a CSV export, its header row left out. */
async function csvRows(res: Response): Promise<number> {
  expect(res.status).toBe(200);
  return (await res.text()).split("\r\n").filter((line) => line !== "").length - 1;
}

async function domainsStatus(cookieHeader: string): Promise<number> {
  return (await getDomains(request("/api/domains", cookieHeader), undefined)).status;
}
