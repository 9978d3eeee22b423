import { expect, test, type APIRequestContext } from "@playwright/test";
import { closeDb, createDb } from "@/lib/db/client";

// A connector of its own for the auth and hardening tests, so they neither depend on nor
// disturb the demo alert the Fix now tests use: an on-premises connector relaying one domain,
// and a 4.4.316 alert made through the real ingest API with an admin-created token. The specs
// remove them afterwards, so the demo-data tests that run later see the demo data only.
const FIXTURE_PREFIX = "E2E fixture: ";
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * The Origin header a browser sends with a write on this site. Playwright's API requests send
 * none, and the proxy refuses a signed-in write that cannot show where it comes from.
 */
export function sameOrigin(): { origin: string } {
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts sets no baseURL.");
  return { origin: new URL(baseURL).origin };
}

export async function createIngestToken(request: APIRequestContext, name: string): Promise<string> {
  const res = await request.post("/api/tokens", { headers: sameOrigin(), data: { name } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

export async function refusedConnectorAlert(request: APIRequestContext, label: string, errorDetails: string): Promise<{ alertId: number; connectorId: number }> {
  const name = `${FIXTURE_PREFIX}${label}`;
  const db = createDb(databaseUrl(), 1);
  let connectorId: number;
  try {
    const connector = await db.connector.create({ data: { name, kind: "ON_PREMISES", smartHosts: ["mail.e2e.example"], recipientDomains: ["*"] } });
    await db.acceptedDomain.create({ data: { name: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`, type: "INTERNAL_RELAY", connectorId: connector.id } });
    connectorId = connector.id;
  } finally {
    await closeDb(db);
  }
  const token = await createIngestToken(request, `${name} relay`);
  const occurredAt = new Date(Date.now() - 10 * 60_000).toISOString();
  const events = [1, 2].map((n) => ({
    occurredAt, connector: name, messageId: `<${n}-${Date.now()}@e2e.example>`, recipient: `user${n}@e2e.example`,
    status: "deferred", errorCode: "450 4.4.316", errorDetails, destination: "mail.e2e.example",
  }));
  const ingest = await request.post("/api/events", { headers: { authorization: `Bearer ${token}` }, data: events });
  expect(ingest.status()).toBe(200);
  const alerts = await request.get(`/api/alerts?status=active&code=4.4.316&connector=${connectorId}`);
  const alert = ((await alerts.json()) as { items: { id: number }[] }).items[0];
  if (!alert) throw new Error("Ingest made no alert.");
  return { alertId: alert.id, connectorId };
}

/** Removes the connectors refusedConnectorAlert made (their alerts, events and domains with them). */
export async function removeFixtureConnectors(): Promise<void> {
  const db = createDb(databaseUrl(), 1);
  try {
    const ids = (await db.connector.findMany({ where: { name: { startsWith: FIXTURE_PREFIX } }, select: { id: true } })).map((c) => c.id);
    await db.acceptedDomain.deleteMany({ where: { connectorId: { in: ids } } });
    await db.connector.deleteMany({ where: { id: { in: ids } } });
  } finally {
    await closeDb(db);
  }
}

function databaseUrl(): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${process.env.E2E_DATABASE_NAME}`;
  return url.toString();
}
