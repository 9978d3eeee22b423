import { readdir } from "node:fs/promises";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { createApiToken } from "@/lib/auth/tokens";
import { API_ROUTES } from "@/lib/http/api-routes";
import { testActor } from "@/tests/helpers/actors";
import { createSignedInUser } from "@/tests/helpers/auth-session";
import { snapshotData } from "@/tests/helpers/data-snapshot";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Malformed, oversized, unauthenticated and misdirected requests against every endpoint, each
// through the proxy and then the route, as the server would run them. Every one must get a 4xx
// with a problem+json message a person can act on, the server must keep answering, and the
// stored data must be exactly what it was.
type RouteModule = Record<string, (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>>;
const ROUTES: [RegExp, () => Promise<RouteModule>][] = [
  [/^\/api\/alerts$/, () => import("@/app/api/alerts/route")],
  [/^\/api\/alerts\/export$/, () => import("@/app/api/alerts/export/route")],
  [/^\/api\/audit$/, () => import("@/app/api/audit/route")],
  [/^\/api\/audit\/export$/, () => import("@/app/api/audit/export/route")],
  [/^\/api\/alerts\/(?<id>[^/]+)$/, () => import("@/app/api/alerts/[id]/route")],
  [/^\/api\/alerts\/(?<id>[^/]+)\/actions$/, () => import("@/app/api/alerts/[id]/actions/route")],
  [/^\/api\/alerts\/(?<id>[^/]+)\/fix-now$/, () => import("@/app/api/alerts/[id]/fix-now/route")],
  [/^\/api\/alerts\/(?<id>[^/]+)\/fix-now\/undo$/, () => import("@/app/api/alerts/[id]/fix-now/undo/route")],
  [/^\/api\/connectors$/, () => import("@/app/api/connectors/route")],
  [/^\/api\/connectors\/(?<id>[^/]+)$/, () => import("@/app/api/connectors/[id]/route")],
  [/^\/api\/connectors\/(?<id>[^/]+)\/retire$/, () => import("@/app/api/connectors/[id]/retire/route")],
  [/^\/api\/connectors\/(?<id>[^/]+)\/history$/, () => import("@/app/api/connectors/[id]/history/route")],
  [/^\/api\/connectors\/(?<id>[^/]+)\/events$/, () => import("@/app/api/connectors/[id]/events/route")],
  [/^\/api\/connectors\/(?<id>[^/]+)\/events\/export$/, () => import("@/app/api/connectors/[id]/events/export/route")],
  [/^\/api\/connectors\/(?<id>[^/]+)\/validations$/, () => import("@/app/api/connectors/[id]/validations/route")],
  [/^\/api\/domains$/, () => import("@/app/api/domains/route")],
  [/^\/api\/domains\/(?<id>[^/]+)$/, () => import("@/app/api/domains/[id]/route")],
  [/^\/api\/events$/, () => import("@/app/api/events/route")],
  [/^\/api\/health$/, () => import("@/app/api/health/route")],
  [/^\/api\/metrics$/, () => import("@/app/api/metrics/route")],
  [/^\/api\/notifications\/channels$/, () => import("@/app/api/notifications/channels/route")],
  [/^\/api\/notifications\/channels\/(?<id>[^/]+)$/, () => import("@/app/api/notifications/channels/[id]/route")],
  [/^\/api\/notifications\/channels\/(?<id>[^/]+)\/test$/, () => import("@/app/api/notifications/channels/[id]/test/route")],
  [/^\/api\/notifications\/rules$/, () => import("@/app/api/notifications/rules/route")],
  [/^\/api\/notifications\/rules\/(?<id>[^/]+)$/, () => import("@/app/api/notifications/rules/[id]/route")],
  [/^\/api\/notifications\/maintenance$/, () => import("@/app/api/notifications/maintenance/route")],
  [/^\/api\/notifications\/maintenance\/(?<id>[^/]+)$/, () => import("@/app/api/notifications/maintenance/[id]/route")],
  [/^\/api\/notifications\/log$/, () => import("@/app/api/notifications/log/route")],
  [/^\/api\/organisation\/import$/, () => import("@/app/api/organisation/import/route")],
  [/^\/api\/organisation\/import\/(?<id>[^/]+)\/apply$/, () => import("@/app/api/organisation/import/[id]/apply/route")],
  [/^\/api\/sources\/trace-import$/, () => import("@/app/api/sources/trace-import/route")],
  [/^\/api\/trace$/, () => import("@/app/api/trace/route")],
  [/^\/api\/trace\/export$/, () => import("@/app/api/trace/export/route")],
  [/^\/api\/trace\/messages\/(?<id>[^/]+)$/, () => import("@/app/api/trace/messages/[id]/route")],
  [/^\/api\/tokens$/, () => import("@/app/api/tokens/route")],
  [/^\/api\/tokens\/(?<id>[^/]+)$/, () => import("@/app/api/tokens/[id]/route")],
  [/^\/api\/users$/, () => import("@/app/api/users/route")],
  [/^\/api\/users\/(?<id>[^/]+)$/, () => import("@/app/api/users/[id]/route")],
  [/^\/api\/auth\/.+$/, () => import("@/app/api/auth/[...all]/route")],
];

/** What `next start` does with a request: the proxy first, then the matching route handler. */
async function serve(url: string, init: RequestInit = {}): Promise<Response> {
  const request = new NextRequest(new URL(url, "http://localhost:3000"), { ...init, headers: { host: "localhost:3000", ...(init.headers as Record<string, string>) } } as ConstructorParameters<typeof NextRequest>[1]);
  const early = proxy(request);
  if (!early.headers.get("x-middleware-next")) return early;
  const pathname = request.nextUrl.pathname;
  for (const [pattern, load] of ROUTES) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const handler = (await load())[request.method];
    if (!handler) throw new Error(`The proxy let ${request.method} ${pathname} through, but the route has no handler.`);
    const params = { id: match.groups?.id ?? "", all: pathname.replace(/^\/api\/auth\//, "").split("/") };
    return handler(new Request(request.url, { method: request.method, headers: request.headers, body: init.body, duplex: "half" } as RequestInit), { params: Promise.resolve(params) });
  }
  throw new Error(`No route for ${pathname}`);
}

let t: TestDatabase;
let viewer: string;
let admin: string;
let token: string;
let alertId: number;
let connectorId: number;
let domainId: number;
let adminId: string;

beforeAll(async () => {
  t = await createAppTestDatabase();
  viewer = (await createSignedInUser(t.db, "VIEWER", "viewer")).cookie;
  const signedAdmin = await createSignedInUser(t.db, "ADMIN", "admin");
  admin = signedAdmin.cookie;
  adminId = signedAdmin.actor.id;
  token = (await createApiToken(t.db, testActor("setup", "ADMIN"), "hostile tests")).token;
  connectorId = (await createConnector(t.db, { name: "Edge", kind: "ON_PREMISES" })).id;
  domainId = (await createDomain(t.db, { name: "relay.example", type: "INTERNAL_RELAY", connectorId })).id;
  const now = new Date();
  alertId = (await t.db.alert.create({ data: { connectorId, errorCode: "4.4.316", firstSeenAt: now, lastSeenAt: now, queuedCount: 0 } })).id;
});
afterAll(async () => { await t?.drop(); });

const MB = 1024 * 1024;
// Signed-in writes carry the Origin a browser sends, so they reach the route's own checks.
const SAME_ORIGIN = "http://localhost:3000";
const json = (cookie: string | null, body: string, method = "POST", type = "application/json"): RequestInit => ({
  method,
  body,
  headers: { "content-type": type, ...(cookie ? { cookie, origin: SAME_ORIGIN } : {}) },
});
const bearer = (body: string, type = "application/json", auth = `Bearer ${token}`): RequestInit => ({ method: "POST", body, headers: { "content-type": type, authorization: auth } });
/** A multipart/form-data upload of files (name, content) to the Exchange import, as a browser sends it. */
const upload = (cookie: string, files: [name: string, content: string][], field = "files"): RequestInit => {
  const boundary = "----mailflow-hostile-boundary";
  const parts = files.map(([name, content]) => `--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${name}"\r\ncontent-type: application/json\r\n\r\n${content}\r\n`);
  return { method: "POST", body: `${parts.join("")}--${boundary}--\r\n`, headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie, origin: SAME_ORIGIN } };
};
/** One outbound connector as Get-OutboundConnector | ConvertTo-Json writes it. */
const exchangeConnector = (overrides: Record<string, unknown> = {}) => ({ Name: "To on-premises", Enabled: true, ConnectorType: 1, UseMXRecord: false, SmartHosts: ["mail.contoso.se"], RecipientDomains: ["contoso.se"], TlsSettings: null, ...overrides });
const connectorsFile = (...connectors: Record<string, unknown>[]): [string, string][] => [["outbound-connectors.json", JSON.stringify(connectors)]];

function hostileRequests(): [name: string, url: string, init: RequestInit | ((cookie: { viewer: string; admin: string }) => RequestInit)][] {
  const a = `/api/alerts/${alertId}`;
  const c = `/api/connectors/${connectorId}`;
  const read = (cookie: string): RequestInit => ({ headers: { cookie } });
  const cases: [string, string, RequestInit | ((cookie: { viewer: string; admin: string }) => RequestInit)][] = [
    // Missing authentication.
    ["list alerts signed out", "/api/alerts", {}],
    ["alert signed out", a, {}],
    ["connectors signed out", "/api/connectors", {}],
    ["domains signed out", "/api/domains", {}],
    ["fix now signed out", `${a}/fix-now`, json(null, "{}")],
    ["users signed out", "/api/users", {}],
    ["tokens signed out", "/api/tokens", {}],
    ["forged session cookie", "/api/alerts", read("mailflow.session_token=forged.signature")],
    ["events without a token", "/api/events", { method: "POST", body: JSON.stringify(buildEvent({ connector: connectorId })), headers: { "content-type": "application/json" } }],
    ["events with a wrong token", "/api/events", bearer(JSON.stringify(buildEvent({ connector: connectorId })), "application/json", "Bearer mf_nope_nope_nope_nope")],
    ["events with a session instead of a token", "/api/events", ({ admin }) => ({ ...json(admin, JSON.stringify(buildEvent({ connector: connectorId }))) })],
    // Metrics want METRICS_TOKEN (unset here: 404, "metrics are off"); neither a session nor an ingest token opens them.
    ["metrics without a token", "/api/metrics", {}],
    ["metrics with an ingest token", "/api/metrics", { headers: { authorization: `Bearer ${token}` } }],
    ["metrics with a session instead of its token", "/api/metrics", ({ admin }) => read(admin)],
    // Bad query parameters.
    ["alerts: limit not a number", "/api/alerts?limit=abc", ({ viewer }) => read(viewer)],
    ["alerts: limit far too large", "/api/alerts?limit=100000", ({ viewer }) => read(viewer)],
    ["alerts: unknown status", "/api/alerts?status=bogus", ({ viewer }) => read(viewer)],
    ["alerts: garbage cursor", "/api/alerts?cursor=%00%ff%fe", ({ viewer }) => read(viewer)],
    ["alerts: unknown parameter", "/api/alerts?drop=table", ({ viewer }) => read(viewer)],
    ["alerts: huge search", `/api/alerts?q=${"x".repeat(10_000)}`, ({ viewer }) => read(viewer)],
    ["alert: id not a number", "/api/alerts/abc", ({ viewer }) => read(viewer)],
    ["alert: negative id", "/api/alerts/-1", ({ viewer }) => read(viewer)],
    ["alert: id beyond int", "/api/alerts/99999999999999999999", ({ viewer }) => read(viewer)],
    ["alert: SQL in the id", "/api/alerts/1%20OR%201=1", ({ viewer }) => read(viewer)],
    ["alert: unknown id", "/api/alerts/999999", ({ viewer }) => read(viewer)],
    ["alert: bad messages cursor", `${a}?messagesCursor=zzz`, ({ viewer }) => read(viewer)],
    ["history: unknown range", `${c}/history?range=1y`, ({ viewer }) => read(viewer)],
    ["history: bad connector id", "/api/connectors/x/history", ({ viewer }) => read(viewer)],
    ["events page: limit 0", `${c}/events?limit=0`, ({ viewer }) => read(viewer)],
    ["events page: bad date", `${c}/events?from=yesterday`, ({ viewer }) => read(viewer)],
    ["events page: unknown status", `${c}/events?status=LOST`, ({ viewer }) => read(viewer)],
    ["events page: unknown connector", "/api/connectors/424242/events", ({ viewer }) => read(viewer)],
    // CSV exports: refused before a byte of the file (and before an export slot or audit entry).
    ["alerts export signed out", "/api/alerts/export", {}],
    ["alerts export: unknown status", "/api/alerts/export?status=bogus", ({ viewer }) => read(viewer)],
    ["alerts export: huge search", `/api/alerts/export?q=${"%".repeat(10_000)}`, ({ viewer }) => read(viewer)],
    ["events export: unknown connector", "/api/connectors/424242/events/export", ({ viewer }) => read(viewer)],
    ["events export: reversed range", `${c}/events/export?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z`, ({ viewer }) => read(viewer)],
    ["events export: bad connector id", "/api/connectors/1;DROP/events/export", ({ viewer }) => read(viewer)],
    ["audit log signed out", "/api/audit", {}],
    ["viewer reads the audit log", "/api/audit", ({ viewer }) => read(viewer)],
    ["viewer exports the audit log", "/api/audit/export", ({ viewer }) => read(viewer)],
    ["audit log: reversed range", "/api/audit?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", ({ admin }) => read(admin)],
    ["audit log: unknown target type", "/api/audit/export?targetType=everything", ({ admin }) => read(admin)],
    ["audit log: actor of 10,000 characters", `/api/audit?actor=${"x".repeat(10_000)}`, ({ admin }) => read(admin)],
    // Bad bodies on the alert endpoints.
    ["actions: not JSON", `${a}/actions`, ({ admin }) => json(admin, "{action:")],
    ["actions: an array", `${a}/actions`, ({ admin }) => json(admin, "[]")],
    ["actions: unknown action", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "delete" }))],
    ["actions: wrong type", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: 5 }))],
    ["actions: unknown field", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "acknowledge", as: "root" }))],
    ["actions: dismiss without reason", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "dismiss" }))],
    ["actions: huge reason", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "dismiss", reason: "x".repeat(50_000) }))],
    ["actions: snooze into the past", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "snooze", until: "2000-01-01T00:00:00Z" }))],
    ["actions: body over 64 KB", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "dismiss", reason: "x".repeat(70_000) }))],
    ["actions: text/plain", `${a}/actions`, ({ admin }) => json(admin, JSON.stringify({ action: "acknowledge" }), "POST", "text/plain")],
    ["actions: form post", `${a}/actions`, ({ admin }) => json(admin, "action=acknowledge", "POST", "application/x-www-form-urlencoded")],
    ["actions: unknown alert", "/api/alerts/999999/actions", ({ admin }) => json(admin, JSON.stringify({ action: "acknowledge" }))],
    ["fix now: not JSON", `${a}/fix-now`, ({ admin }) => json(admin, "{")],
    ["fix now: ids of the wrong type", `${a}/fix-now`, ({ admin }) => json(admin, JSON.stringify({ expectedDomainIds: "all" }))],
    ["fix now: body over 64 KB", `${a}/fix-now`, ({ admin }) => json(admin, JSON.stringify({ expectedDomainIds: Array.from({ length: 20_000 }, (_, i) => i) }))],
    ["fix now: stale domain list", `${a}/fix-now`, ({ admin }) => json(admin, JSON.stringify({ expectedDomainIds: [424242] }))],
    ["undo: nothing to undo", `${a}/fix-now/undo`, ({ admin }) => json(admin, "{}")],
    ["viewer forges Fix now", `${a}/fix-now`, ({ viewer }) => json(viewer, "{}")],
    ["viewer forges acknowledge", `${a}/actions`, ({ viewer }) => json(viewer, JSON.stringify({ action: "acknowledge" }))],
    // Ingest with a valid token but bad bodies.
    ["events: not JSON", "/api/events", bearer("{oops")],
    ["events: wrong content type", "/api/events", bearer("x", "text/plain")],
    ["events: no events", "/api/events", bearer("[]")],
    ["events: a number", "/api/events", bearer("42")],
    ["events: declared 6 MB", "/api/events", { ...bearer("[]"), headers: { ...(bearer("[]").headers as Record<string, string>), "content-length": String(6 * MB) } }],
    ["events: 5001 events", "/api/events", bearer(JSON.stringify(Array.from({ length: 5001 }, () => ({}))))],
    ["events: wrong types", "/api/events", bearer(JSON.stringify([{ occurredAt: 5, connector: [], messageId: {}, status: "maybe" }]))],
    ["events: unknown fields", "/api/events", bearer(JSON.stringify([{ ...buildEvent({ connector: connectorId }), admin: true }]))],
    ["events: huge error details", "/api/events", bearer(JSON.stringify([buildEvent({ connector: connectorId, errorDetails: "<script>".repeat(2000) })]))],
    // Connectors and accepted domains (admins write; the bodies are strict).
    ["connector: name of 1 MB", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "x".repeat(MB), kind: "PARTNER", smartHosts: ["mx.example.com"] }))],
    ["connector: name of 65 characters", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "x".repeat(65), kind: "PARTNER", smartHosts: ["mx.example.com"] }))],
    ["connector: control characters in the name", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "To\u0000 partner\u001b[2J", kind: "PARTNER", smartHosts: ["mx.example.com"] }))],
    ["connector: smart host with a path", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "P", kind: "PARTNER", smartHosts: ["mx.example.com/relay"] }))],
    ["connector: smart host as a URL", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "P", kind: "PARTNER", smartHosts: ["smtps://mx.example.com:465"] }))],
    ["connector: smart host with user info", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "P", kind: "PARTNER", smartHosts: ["root@mx.example.com"] }))],
    ["connector: unknown field", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "P", kind: "PARTNER", smartHosts: ["mx.example.com"], retiredAt: null }))],
    ["connector: wrong types", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: ["P"], kind: 1, enabled: "yes", smartHosts: "mx.example.com" }))],
    ["connector: name taken in another case", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "EDGE", kind: "PARTNER", smartHosts: ["mx.example.com"] }))],
    ["connector: 21 smart hosts", "/api/connectors", ({ admin }) => json(admin, JSON.stringify({ name: "P", kind: "PARTNER", smartHosts: Array.from({ length: 21 }, (_, i) => `mx${i}.example.com`) }))],
    ["viewer adds a connector", "/api/connectors", ({ viewer }) => json(viewer, JSON.stringify({ name: "P", kind: "PARTNER", smartHosts: ["mx.example.com"] }))],
    ["connector edit: nothing to change", c, ({ admin }) => json(admin, "{}", "PATCH")],
    ["connector edit: unknown field", c, ({ admin }) => json(admin, JSON.stringify({ enabled: false, foldedThrough: null }), "PATCH")],
    ["connector edit: enabled of the wrong type", c, ({ admin }) => json(admin, JSON.stringify({ enabled: "false" }), "PATCH")],
    ["connector edit: recipient domain with a script", c, ({ admin }) => json(admin, JSON.stringify({ recipientDomains: ["<script>.example.com"] }), "PATCH")],
    ["connector edit: unknown connector", "/api/connectors/424242", ({ admin }) => json(admin, JSON.stringify({ enabled: false }), "PATCH")],
    ["connector edit: bad id", "/api/connectors/1;DROP", ({ admin }) => json(admin, JSON.stringify({ enabled: false }), "PATCH")],
    ["viewer disables a connector", c, ({ viewer }) => json(viewer, JSON.stringify({ enabled: false }), "PATCH")],
    ["viewer deletes a connector", c, ({ viewer }) => ({ method: "DELETE", headers: { cookie: viewer, origin: SAME_ORIGIN } })],
    ["connector delete: unknown connector", "/api/connectors/424242", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["retire: a body", `${c}/retire`, ({ admin }) => json(admin, JSON.stringify({ retiredBy: "someone else" }))],
    ["retire: unknown connector", "/api/connectors/424242/retire", ({ admin }) => json(admin, "")],
    ["viewer retires a connector", `${c}/retire`, ({ viewer }) => json(viewer, "")],
    ["restore: not retired", `${c}/retire`, ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    // Validations: every one is refused before a probe could start.
    ["viewer validates a connector", `${c}/validations`, ({ viewer }) => json(viewer, "")],
    ["validate: unknown field", `${c}/validations`, ({ admin }) => json(admin, JSON.stringify({ recipient: "a@contoso.example", sender: "x@contoso.example" }))],
    ["validate: recipient of 1 MB", `${c}/validations`, ({ admin }) => json(admin, JSON.stringify({ recipient: `${"a".repeat(MB)}@contoso.example` }))],
    ["validate: markup as recipient", `${c}/validations`, ({ admin }) => json(admin, JSON.stringify({ recipient: "<script>alert(1)</script>" }))],
    ["validate: unknown connector", "/api/connectors/424242/validations", ({ admin }) => json(admin, "")],
    ["validations: limit 0", `${c}/validations?limit=0`, ({ viewer }) => read(viewer)],
    ["domain: name of 1 MB", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: `${"a".repeat(MB)}.example`, type: "AUTHORITATIVE" }))],
    ["domain: control characters", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: "contoso\u0007.example", type: "AUTHORITATIVE" }))],
    ["domain: a URL", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: "https://contoso.example/", type: "AUTHORITATIVE" }))],
    ["domain: empty body", "/api/domains", ({ admin }) => json(admin, "{}")],
    ["domain: unknown field", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: "contoso.example", type: "AUTHORITATIVE", id: 1 }))],
    ["domain: connector of the wrong type", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: "contoso.example", type: "INTERNAL_RELAY", connectorId: "Edge" }))],
    ["domain: unknown connector", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: "contoso.example", type: "INTERNAL_RELAY", connectorId: 424242 }))],
    ["domain: duplicate", "/api/domains", ({ admin }) => json(admin, JSON.stringify({ name: "RELAY.example", type: "AUTHORITATIVE" }))],
    ["viewer adds a domain", "/api/domains", ({ viewer }) => json(viewer, JSON.stringify({ name: "contoso.example", type: "AUTHORITATIVE" }))],
    ["domain edit: rename", `/api/domains/${domainId}`, ({ admin }) => json(admin, JSON.stringify({ name: "other.example" }), "PATCH")],
    ["domain edit: unknown type", `/api/domains/${domainId}`, ({ admin }) => json(admin, JSON.stringify({ type: "OPEN_RELAY" }), "PATCH")],
    ["domain edit: unknown domain", "/api/domains/424242", ({ admin }) => json(admin, JSON.stringify({ type: "AUTHORITATIVE" }), "PATCH")],
    ["viewer edits a domain", `/api/domains/${domainId}`, ({ viewer }) => json(viewer, JSON.stringify({ type: "AUTHORITATIVE" }), "PATCH")],
    ["viewer removes a domain", `/api/domains/${domainId}`, ({ viewer }) => ({ method: "DELETE", headers: { cookie: viewer, origin: SAME_ORIGIN } })],
    ["domain remove: unknown domain", "/api/domains/424242", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["signed-in connector delete without Origin", c, ({ admin }) => ({ method: "DELETE", headers: { cookie: admin } })],
    // The Exchange import: uploads that are not Exchange's connectors and domains, and applies of no preview.
    ["import: JSON instead of a form", "/api/organisation/import", ({ admin }) => json(admin, JSON.stringify([exchangeConnector()]))],
    ["import: not JSON", "/api/organisation/import", ({ admin }) => upload(admin, [["outbound-connectors.json", "Name : To on-premises\r\nEnabled : True"]])],
    ["import: Get-InboundConnector's output", "/api/organisation/import", ({ admin }) => upload(admin, [["inbound.json", JSON.stringify([{ Name: "From on-premises", SenderDomains: ["smtp:*;1"], SenderIPAddresses: ["203.0.113.0/24"], ConnectorType: 1 }])]])],
    ["import: 10,000 connectors in one file", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(...Array.from({ length: 10_000 }, (_, i) => exchangeConnector({ Name: `C${i}` }))))],
    ["import: a name of 1 MB", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(exchangeConnector({ Name: "x".repeat(1024 * 1024) })))],
    ["import: control characters in a name", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(exchangeConnector({ Name: "To\u0000on\u001bpremises" })))],
    ["import: duplicate names", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(exchangeConnector({ Name: "Edge" }), exchangeConnector({ Name: "EDGE" })))],
    ["import: a smart host with a path", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(exchangeConnector({ SmartHosts: ["mail.contoso.se/relay"] })))],
    ["import: a smart host that is a URL", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(exchangeConnector({ SmartHosts: ["smtp://mail.contoso.se:25"] })))],
    ["import: an unknown connector type", "/api/organisation/import", ({ admin }) => upload(admin, connectorsFile(exchangeConnector({ ConnectorType: 7 })))],
    ["import: no files", "/api/organisation/import", ({ admin }) => upload(admin, [])],
    ["import: 11 files", "/api/organisation/import", ({ admin }) => upload(admin, Array.from({ length: 11 }, (_, i): [string, string] => [`f${i}.json`, "null"]))],
    ["import: a file over 5 MB", "/api/organisation/import", ({ admin }) => upload(admin, [["big.json", " ".repeat(6 * MB)]])],
    ["import: declared 21 MB", "/api/organisation/import", ({ admin }) => ({ ...upload(admin, []), headers: { ...(upload(admin, []).headers as Record<string, string>), "content-length": String(21 * MB) } })],
    ["import: another form field", "/api/organisation/import", ({ admin }) => upload(admin, [["a.json", "null"]], "file")],
    ["import: a broken form", "/api/organisation/import", ({ admin }) => ({ ...upload(admin, []), body: "--nope\r\n\r\n" })],
    ["viewer imports", "/api/organisation/import", ({ viewer }) => upload(viewer, connectorsFile(exchangeConnector()))],
    ["apply: not an import id", "/api/organisation/import/..%2F1/apply", ({ admin }) => json(admin, "{}")],
    ["apply: unknown import", "/api/organisation/import/00000000-0000-4000-8000-000000000000/apply", ({ admin }) => json(admin, "{}")],
    ["apply: not JSON", "/api/organisation/import/00000000-0000-4000-8000-000000000000/apply", ({ admin }) => json(admin, "{")],
    ["apply: an unknown choice", "/api/organisation/import/00000000-0000-4000-8000-000000000000/apply", ({ admin }) => json(admin, JSON.stringify({ resolutions: { 1: "delete" } }))],
    ["apply: an unknown field", "/api/organisation/import/00000000-0000-4000-8000-000000000000/apply", ({ admin }) => json(admin, JSON.stringify({ resolutions: {}, force: true }))],
    ["viewer applies", "/api/organisation/import/00000000-0000-4000-8000-000000000000/apply", ({ viewer }) => json(viewer, "{}")],
    ["GET the import", "/api/organisation/import", ({ admin }) => read(admin)],
    ["trace import: another export's CSV", "/api/sources/trace-import", ({ admin }) => upload(admin, [["mailboxes.csv", '"DisplayName","PrimarySmtpAddress"\r\n"Bo","bo@contoso.se"\r\n']], "file")],
    ["trace import: binary", "/api/sources/trace-import", ({ admin }) => upload(admin, [["trace.csv", "\u0000\u0001\u0002\u0003binary\u0000\u00ff".repeat(40)]], "file")],
    ["trace import: an empty file", "/api/sources/trace-import", ({ admin }) => upload(admin, [["trace.csv", ""]], "file")],
    ["trace import: only a #TYPE line", "/api/sources/trace-import", ({ admin }) => upload(admin, [["trace.csv", "#TYPE Deserialized.Something\r\n"]], "file")],
    ["trace import: two files", "/api/sources/trace-import", ({ admin }) => upload(admin, [["a.csv", "a,b\r\n"], ["b.csv", "a,b\r\n"]], "file")],
    ["trace import: the wrong field", "/api/sources/trace-import", ({ admin }) => upload(admin, [["a.csv", "a,b\r\n"]], "files")],
    ["trace import: no file", "/api/sources/trace-import", ({ admin }) => upload(admin, [], "file")],
    ["trace import: JSON instead of a form", "/api/sources/trace-import", ({ admin }) => json(admin, "{}")],
    ["trace import: declared 11 MB", "/api/sources/trace-import", ({ admin }) => ({ ...upload(admin, [], "file"), headers: { ...(upload(admin, [], "file").headers as Record<string, string>), "content-length": String(11 * MB) } })],
    ["trace import: a broken form", "/api/sources/trace-import", ({ admin }) => ({ ...upload(admin, [], "file"), body: "--nope\r\n\r\n" })],
    ["viewer imports a trace", "/api/sources/trace-import", ({ viewer }) => upload(viewer, [["a.csv", "a,b\r\n"]], "file")],
    // Users and tokens.
    ["viewer lists users", "/api/users", ({ viewer }) => read(viewer)],
    ["viewer creates a token", "/api/tokens", ({ viewer }) => json(viewer, JSON.stringify({ name: "mine" }))],
    ["token: no name", "/api/tokens", ({ admin }) => json(admin, "{}")],
    ["token: empty name", "/api/tokens", ({ admin }) => json(admin, JSON.stringify({ name: "   " }))],
    ["token: name too long", "/api/tokens", ({ admin }) => json(admin, JSON.stringify({ name: "x".repeat(101) }))],
    ["token: name of the wrong type", "/api/tokens", ({ admin }) => json(admin, JSON.stringify({ name: ["a"] }))],
    ["token: unknown field", "/api/tokens", ({ admin }) => json(admin, JSON.stringify({ name: "x", tokenHash: "00" }))],
    ["token revoke: bad id", "/api/tokens/abc", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["token revoke: unknown id", "/api/tokens/424242", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["user: short password", "/api/users", ({ admin }) => json(admin, JSON.stringify({ email: "a@example.test", name: "A", role: "VIEWER", password: "short" }))],
    ["user: bad email", "/api/users", ({ admin }) => json(admin, JSON.stringify({ email: "not an email", name: "A", role: "VIEWER", password: "long enough password" }))],
    ["user: unknown role", "/api/users", ({ admin }) => json(admin, JSON.stringify({ email: "a@example.test", name: "A", role: "ROOT", password: "long enough password" }))],
    ["user: unknown field", "/api/users", ({ admin }) => json(admin, JSON.stringify({ email: "a@example.test", name: "A", role: "VIEWER", password: "long enough password", emailVerified: true }))],
    ["user: huge name", "/api/users", ({ admin }) => json(admin, JSON.stringify({ email: "a@example.test", name: "x".repeat(10_000), role: "VIEWER", password: "long enough password" }))],
    ["user role: bad id", "/api/users/..%2F..%2Fetc", ({ admin }) => json(admin, JSON.stringify({ role: "ADMIN" }), "PATCH")],
    ["user role: unknown id", "/api/users/nobody", ({ admin }) => json(admin, JSON.stringify({ role: "ADMIN" }), "PATCH")],
    ["user role: unknown role", "/api/users/nobody", ({ admin }) => json(admin, JSON.stringify({ role: "GOD" }), "PATCH")],
    ["user role: last admin demoted", "/api/users/ADMIN_ID", ({ admin }) => json(admin, JSON.stringify({ role: "VIEWER" }), "PATCH")],
    // Notification settings.
    ["viewer lists channels", "/api/notifications/channels", ({ viewer }) => read(viewer)],
    ["channel: webhook URL not a URL", "/api/notifications/channels", ({ admin }) => json(admin, JSON.stringify({ name: "Hook", kind: "webhook", secret: JSON.stringify({ url: "javascript:alert(1)", signingSecret: "x".repeat(20) }) }))],
    ["channel: unknown kind", "/api/notifications/channels", ({ admin }) => json(admin, JSON.stringify({ name: "Pager", kind: "pager" }))],
    ["channel change: unknown id", "/api/notifications/channels/424242", ({ admin }) => json(admin, JSON.stringify({ name: "x" }), "PATCH")],
    ["channel test: bad id", "/api/notifications/channels/abc/test", ({ admin }) => json(admin, "{}")],
    ["rule: unknown trigger", "/api/notifications/rules", ({ admin }) => json(admin, JSON.stringify({ channelId: 1, triggers: ["everything"] }))],
    ["rule delete: unknown id", "/api/notifications/rules/424242", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["window: ends before it starts", "/api/notifications/maintenance", ({ admin }) => json(admin, JSON.stringify({ connectorId: 1, startsAt: "2030-01-02T00:00:00Z", endsAt: "2030-01-01T00:00:00Z", reason: "x" }))],
    ["window delete: unknown id", "/api/notifications/maintenance/424242", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["log: limit too large", "/api/notifications/log?limit=100000", ({ admin }) => read(admin)],
    // Message trace: refused before anything is read (or audited).
    ["trace: reversed range", "/api/trace?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", ({ viewer }) => read(viewer)],
    ["trace: a range of a year", "/api/trace?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", ({ viewer }) => read(viewer)],
    ["trace: a recipient of 100 kB", `/api/trace?recipient=${"a".repeat(100_000)}`, ({ viewer }) => read(viewer)],
    ["trace: a sender domain", "/api/trace?sender=%40contoso.se", ({ viewer }) => read(viewer)],
    ["trace: a forged cursor", "/api/trace?cursor=eyJ0IjoxfQ", ({ viewer }) => read(viewer)],
    ["trace: signed out", "/api/trace?recipient=a%40b.se", {}],
    ["trace: POST a search", "/api/trace", ({ admin }) => json(admin, "{}")],
    ["trace export: reversed range", "/api/trace/export?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", ({ viewer }) => read(viewer)],
    ["trace export: a code of 10 kB", `/api/trace/export?code=${"4".repeat(10_000)}`, ({ viewer }) => read(viewer)],
    ["trace export: signed out", "/api/trace/export", {}],
    ["trace story: not an id", "/api/trace/messages/1%27%20OR%201%3D1", ({ viewer }) => read(viewer)],
    ["trace story: unknown", "/api/trace/messages/424242", ({ viewer }) => read(viewer)],
    // Sign-in.
    ["sign-in: not JSON", "/api/auth/sign-in/email", json(null, "{")],
    ["sign-in: missing password", "/api/auth/sign-in/email", json(null, JSON.stringify({ email: "a@example.test" }))],
    ["sign-in: email of the wrong type", "/api/auth/sign-in/email", json(null, JSON.stringify({ email: { $ne: null }, password: "x" }))],
    ["sign-in: huge body", "/api/auth/sign-in/email", json(null, JSON.stringify({ email: "a@example.test", password: "x".repeat(100_000) }))],
    ["sign-up is off", "/api/auth/sign-up/email", json(null, JSON.stringify({ email: "m@example.test", password: "long enough password", name: "M" }))],
    ["auth: unknown endpoint", "/api/auth/make-me-admin", json(null, "{}")],
    // Wrong methods and unknown paths.
    ["PUT on the alert list", "/api/alerts", ({ admin }) => json(admin, "{}", "PUT")],
    ["DELETE an alert", a, ({ admin }) => ({ method: "DELETE", headers: { cookie: admin, origin: SAME_ORIGIN } })],
    ["GET the ingest endpoint", "/api/events", { method: "GET" }],
    ["PATCH the token list", "/api/tokens", ({ admin }) => json(admin, "{}", "PATCH")],
    ["PUT a domain", `/api/domains/${domainId}`, ({ admin }) => json(admin, "{}", "PUT")],
    ["GET an undo", `${a}/fix-now/undo`, ({ admin }) => read(admin)],
    ["unknown API path", "/api/admin", ({ admin }) => read(admin)],
    ["unknown alert sub-path", `${a}/delete`, ({ admin }) => read(admin)],
    // Another site.
    ["cross-origin acknowledge", `${a}/actions`, ({ admin }) => ({ ...json(admin, JSON.stringify({ action: "acknowledge" })), headers: { "content-type": "application/json", cookie: admin, origin: "https://evil.example" } })],
    ["cross-site Fix now", `${a}/fix-now`, ({ admin }) => ({ ...json(admin, "{}"), headers: { "content-type": "application/json", cookie: admin, "sec-fetch-site": "cross-site" } })],
    ["cross-origin sign-in", "/api/auth/sign-in/email", { ...json(null, "{}"), headers: { "content-type": "application/json", origin: "null" } }],
    ["signed-in acknowledge without Origin", `${a}/actions`, ({ admin }) => ({ method: "POST", body: JSON.stringify({ action: "acknowledge" }), headers: { "content-type": "application/json", cookie: admin } })],
    ["signed-in token revoke without Origin", "/api/tokens/1", ({ admin }) => ({ method: "DELETE", headers: { cookie: admin } })],
  ];
  return cases;
}

describe("hostile input", () => {
  it("gets a 4xx with a clear problem+json message for each of the requests, changes nothing, and the server keeps answering", async () => {
    const cases = hostileRequests();
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const covered = new Set(cases.map(([, url]) => API_ROUTES.findIndex(([pattern]) => new RegExp(`^${pattern}$`).test(url.split("?")[0]!))));
    expect(covered.size, "every API route gets hostile requests").toBe(API_ROUTES.filter(([p]) => p !== "/api/health").length + 1);

    const before = await snapshotData(t.db);
    const failures: string[] = [];
    for (const [name, rawUrl, init] of cases) {
      const url = rawUrl.replace("ADMIN_ID", adminId);
      const res = await serve(url, typeof init === "function" ? init({ viewer, admin }) : init);
      const body = (await res.json().catch(() => null)) as { detail?: unknown; rejected?: { message: string }[] } | null;
      const problem = res.headers.get("content-type")?.includes("application/problem+json") && typeof body?.detail === "string" && body.detail.length > 5;
      // Ingest answers 422 with the reason of each refused event (and stores none of them).
      const rejectedEvents = res.status === 422 && url === "/api/events" && (body?.rejected?.length ?? 0) > 0;
      if (res.status < 400 || res.status >= 500 || !(problem || rejectedEvents)) failures.push(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshotData(t.db)).toEqual(before);

    const health = await serve("/api/health");
    expect(health.status).toBe(200);
    expect((await serve("/api/alerts", { headers: { cookie: viewer } })).status).toBe(200);
  });

  it("keeps the proxy's method table in step with the route files", async () => {
    const files = await routeFiles(path.join(process.cwd(), "app", "api"));
    const fromFiles = await Promise.all(
      files.map(async (file) => {
        const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
        const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => typeof mod[m] === "function");
        const route = `/api/${path.relative(path.join(process.cwd(), "app", "api"), path.dirname(file)).split(path.sep).join("/")}`;
        return [route.replace(/\[\.\.\.[^\]]+\]/, ".+").replace(/\[[^\]]+\]/g, "[^/]+"), methods.join(",")];
      }),
    );
    const fromTable = API_ROUTES.map(([pattern, methods]) => [pattern, [...methods].sort().join(",")]);
    expect(fromFiles.map(([p, m]) => [p, m!.split(",").sort().join(",")]).sort()).toEqual(fromTable.sort());
  });
});

async function routeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : Promise.resolve(e.name === "route.ts" ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}
