import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as historyRoute from "@/app/api/connectors/[id]/history/route";
import * as validationsRoute from "@/app/api/connectors/[id]/validations/route";
import type { ConnectorHistory } from "@/lib/connectors/schemas";
import { resetEnvCache } from "@/lib/env";
import { validationLineSchema, validationPageSchema, type ValidationLine } from "@/lib/probe/schemas";
import { DEMO_REFUSAL } from "@/lib/probe/service";
import { createSignedInUser, withCookie } from "@/tests/helpers/auth-session";
import { createConnector } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { startLab, type Lab } from "@/tests/lab/lab";

// POST and GET /api/connectors/:id/validations end to end: route → lib/probe → the fault lab on
// loopback → Postgres. Refusals are plain problem+json answers; a run streams NDJSON lines.
let t: TestDatabase;
let lab: Lab;
let caDir: string;
let operator: (url: string, init?: RequestInit) => Request;
let viewer: (url: string, init?: RequestInit) => Request;
let healthy: { id: number };
let refused: { id: number };
let hostile: { id: number };
let demo: { id: number };
let retired: { id: number };

beforeAll(async () => {
  lab = await startLab({ faults: ["healthy", "refused", "hostileGreeting"] });
  caDir = mkdtempSync(path.join(tmpdir(), "validate-api-"));
  writeFileSync(path.join(caDir, "ca.pem"), lab.caPem);
  t = await createAppTestDatabase();
  process.env.PROBE_CA_FILE = path.join(caDir, "ca.pem");
  process.env.PROBE_DNS_SERVERS = lab.dns.server;
  resetEnvCache();
  operator = withCookie((await createSignedInUser(t.db, "OPERATOR")).cookie);
  viewer = withCookie((await createSignedInUser(t.db, "VIEWER")).cookie);
  healthy = await createConnector(t.db, { name: "Lab healthy", smartHosts: [lab.address("healthy")], tlsMode: "CERTIFICATE_VALIDATION" });
  refused = await createConnector(t.db, { name: "Lab refused", smartHosts: [lab.address("refused")] });
  hostile = await createConnector(t.db, { name: "Lab hostile", smartHosts: [lab.address("hostileGreeting")] });
  demo = await createConnector(t.db, { name: "Demo", smartHosts: ["mail.contoso.com"], demo: true });
  retired = await createConnector(t.db, { name: "Retired", smartHosts: [lab.address("healthy")], enabled: false, retiredAt: new Date() });
}, 120_000);

afterAll(async () => {
  delete process.env.PROBE_CA_FILE;
  delete process.env.PROBE_DNS_SERVERS;
  resetEnvCache();
  await t?.drop();
  await lab?.stop();
  if (caDir) rmSync(caDir, { recursive: true, force: true });
});

const params = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const url = (id: number | string, query = "") => `http://test/api/connectors/${id}/validations${query}`;

function post(id: number | string, body?: unknown, as = operator): Promise<Response> {
  const init: RequestInit = body === undefined ? { method: "POST" } : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  return validationsRoute.POST(as(url(id), init), params(id));
}

async function lines(res: Response): Promise<ValidationLine[]> {
  const text = await res.text();
  return text.trim().split("\n").map((line) => validationLineSchema.parse(JSON.parse(line)));
}

describe("POST /api/connectors/:id/validations", () => {
  it("streams each step, then the stored validation", async () => {
    const res = await post(healthy.id, { recipient: " someone@lab.test " });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("cache-control")).toContain("no-transform");
    const all = await lines(res);
    const steps = all.filter((l) => l.type === "step");
    expect(steps.map((l) => l.step.name)).toEqual(["resolve", "connect", "greeting", "ehlo", "starttls", "tls", "certificate", "ehlo", "mail", "rcpt", "quit"]);
    expect(steps[0]).toMatchObject({ target: { host: "127.0.0.1", address: "127.0.0.1", port: lab.target("healthy").port } });
    const last = all.at(-1);
    expect(last?.type).toBe("result");
    if (last?.type !== "result") return;
    expect(last.validation).toMatchObject({ connectorId: healthy.id, trigger: "manual", outcome: "passed", errorCode: null, recipient: "someone@lab.test" });
    expect(last.validation.targets[0]?.certificate?.names).toContain("IP Address:127.0.0.1");
  });

  it("ends with the classified failure of a refused connection", async () => {
    const all = await lines(await post(refused.id));
    const last = all.at(-1);
    expect(last).toMatchObject({ type: "result", validation: { outcome: "failed", errorCode: "4.4.316" } });
    expect(all.filter((l) => l.type === "step").some((l) => l.type === "step" && l.step.name === "connect" && !l.step.ok)).toBe(true);
  });

  it("carries a hostile greeting as plain text", async () => {
    const all = await lines(await post(hostile.id));
    const greeting = all.find((l) => l.type === "step" && l.step.name === "greeting");
    expect(greeting?.type === "step" && greeting.step.seen).toContain("<script>");
  });

  it("refuses before streaming: a viewer, an unknown connector, a demo or retired one, a bad recipient", async () => {
    const before = await t.db.connectorValidation.count();
    const cases: [Response, number, RegExp | string][] = [
      [await post(healthy.id, undefined, viewer), 403, /may not/],
      [await post(424242), 404, /was not found/],
      [await post(demo.id), 409, DEMO_REFUSAL],
      [await post(retired.id), 409, /retired/],
      [await post(healthy.id, { recipient: "not an address" }), 400, /not an email address/],
      [await post(healthy.id, { recipient: "a@b.test", extra: 1 }), 400, /./],
    ];
    for (const [res, status, detail] of cases) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = (await res.json()) as { detail: string };
      if (typeof detail === "string") expect(body.detail).toBe(detail);
      else expect(body.detail).toMatch(detail);
    }
    expect(await t.db.connectorValidation.count()).toBe(before);
  });
});

describe("GET /api/connectors/:id/validations", () => {
  it("lists a connector's validations newest first, page by page, for any signed-in user", async () => {
    await post(healthy.id).then(lines);
    const first = validationPageSchema.parse(await (await validationsRoute.GET(viewer(url(healthy.id, "?limit=1")), params(healthy.id))).json());
    expect(first.items).toHaveLength(1);
    expect(first.items[0]?.recipient).toBeNull();
    expect(first.nextBefore).toBe(first.items[0]?.id);
    const rest = validationPageSchema.parse(await (await validationsRoute.GET(viewer(url(healthy.id, `?limit=5&before=${first.nextBefore}`)), params(healthy.id))).json());
    expect(rest.items.map((v) => v.recipient)).toEqual(["someone@lab.test"]);
    expect(rest.nextBefore).toBeNull();
  });

  it("answers 404 for an unknown connector and 400 for a bad limit", async () => {
    expect((await validationsRoute.GET(viewer(url(424242)), params(424242))).status).toBe(404);
    expect((await validationsRoute.GET(viewer(url(healthy.id, "?limit=0")), params(healthy.id))).status).toBe(400);
  });

  it("puts the range's validations on the connector's history", async () => {
    const res = await historyRoute.GET(viewer(`http://test/api/connectors/${healthy.id}/history`), params(healthy.id));
    const history = (await res.json()) as ConnectorHistory;
    expect(history.validations.map((v) => v.outcome)).toEqual(["passed", "passed"]);
    expect(history.validations[0]).not.toHaveProperty("targets");
    expect(Date.parse(history.validations[0]!.startedAt)).toBeLessThanOrEqual(Date.parse(history.validations[1]!.startedAt));
  });
});
