import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/events/route";
import { DELETE as revoke } from "@/app/api/tokens/[id]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import { createSignedInUser, signIn } from "@/tests/helpers/auth-session";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { runScript } from "@/tests/helpers/run-script";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// Ingest tokens: made and revoked by admins (API and CLI), shown once, stored as SHA-256, and
// required by POST /api/events, which stores nothing without a live one.
let t: TestDatabase;
let admin: string;
let connector: number;

beforeAll(async () => {
  t = await createAppTestDatabase();
  admin = (await createSignedInUser(t.db, "ADMIN", "Ada Admin")).cookie;
  connector = (await createConnector(t.db, { name: "Edge" })).id;
});
afterAll(async () => { await t?.drop(); });

const createToken = async (name: string) => {
  const res = await tokensRoute.POST(new Request("http://localhost/api/tokens", { method: "POST", headers: { cookie: admin, "content-type": "application/json" }, body: JSON.stringify({ name }) }), undefined);
  expect(res.status).toBe(201);
  return (await res.json()) as { token: string; record: { id: number; prefix: string; lastUsedAt: string | null } };
};
const send = (authorization: string | null, event = buildEvent({ connector })) =>
  ingest(new Request("http://localhost/api/events", { method: "POST", headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) }, body: JSON.stringify(event) }), undefined);

describe("ingest tokens", () => {
  it("are shown once and stored only as a SHA-256 with a prefix", async () => {
    const { token, record } = await createToken("Edge relay");
    expect(token).toMatch(/^mf_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(record.prefix)).toBe(true);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const list = await tokensRoute.GET(new Request("http://localhost/api/tokens", { headers: { cookie: admin } }), undefined);
    const text = await list.text();
    expect(text).toContain("Edge relay");
    expect(text).not.toContain(token);
    const audit = await t.db.auditEntry.findFirstOrThrow({ where: { action: "token.create" } });
    expect(audit.actor).toBe("Ada Admin");
  });

  it("let a live token ingest and record when it was last used", async () => {
    const { token, record } = await createToken("Live");
    const res = await send(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect((await res.json()).accepted).toBe(1);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: record.id } })).lastUsedAt).not.toBeNull();
  });

  it("refuse a missing, malformed, wrong or revoked token with 401, storing nothing", async () => {
    const { token, record } = await createToken("Soon revoked");
    const revoked = await revoke(new Request(`http://localhost/api/tokens/${record.id}`, { method: "DELETE", headers: { cookie: admin } }), { params: Promise.resolve({ id: String(record.id) }) });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revokedBy).toBe("Ada Admin");
    const events = await t.db.deliveryEvent.count();
    const answers = await Promise.all([
      send(null),
      send("Basic YWRtaW46YWRtaW4="),
      send("Bearer"),
      send(`Bearer ${"x".repeat(5000)}`),
      send("Bearer mf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
      send(`Bearer ${token}`),
      send(admin),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await answers[5]!.json()).detail).toMatch(/not valid or has been revoked/);
    expect(await t.db.deliveryEvent.count()).toBe(events);
    const again = await revoke(new Request(`http://localhost/api/tokens/${record.id}`, { method: "DELETE", headers: { cookie: admin } }), { params: Promise.resolve({ id: String(record.id) }) });
    expect(again.status).toBe(409);
  });

  it("a session cookie is not an ingest token", async () => {
    const viewer = await signIn((await t.db.user.findFirstOrThrow()).email, "correct horse battery staple");
    const res = await ingest(new Request("http://localhost/api/events", { method: "POST", headers: { "content-type": "application/json", cookie: viewer }, body: JSON.stringify(buildEvent({ connector })) }), undefined);
    expect(res.status).toBe(401);
  });
});

describe("command line", () => {
  const env = () => ({ ...process.env, DATABASE_URL: t.url });

  it("npm run user:create reads the password from stdin and makes a user who can sign in", async () => {
    const child = runScript("scripts/user-create.ts", ["--email", "Cli.Admin@example.test", "--role", "admin", "--name", "Cli Admin"], env());
    child.child.stdin!.end("a password from stdin\n");
    const { stdout } = await child;
    expect(stdout).toMatch(/Created admin cli\.admin@example\.test/);
    expect(await signIn("cli.admin@example.test", "a password from stdin")).toMatch(/mailflow\.session_token=/);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "cli.admin@example.test" } });
    const audit = await t.db.auditEntry.findFirstOrThrow({ where: { action: "user.create", targetId: user.id } });
    expect(audit).toMatchObject({ actor: "command line", targetType: "user", after: { email: "cli.admin@example.test", name: "Cli Admin", role: "ADMIN" } });
  });

  it("npm run user:create refuses a short password and an unknown role", async () => {
    const short = runScript("scripts/user-create.ts", ["--email", "short@example.test", "--role", "viewer"], env());
    short.child.stdin!.end("short\n");
    await expect(short).rejects.toMatchObject({ stderr: expect.stringMatching(/password: must be at least 12 characters/) });
    const role = runScript("scripts/user-create.ts", ["--email", "role@example.test", "--role", "root"], env());
    role.child.stdin!.end("long enough password\n");
    await expect(role).rejects.toMatchObject({ stderr: expect.stringMatching(/Usage/) });
    expect(await t.db.user.count({ where: { email: { in: ["short@example.test", "role@example.test"] } } })).toBe(0);
  });

  it("npm run token:create prints a token that ingests", async () => {
    const { stdout } = await runScript("scripts/token-create.ts", ["--name", "From the CLI"], env());
    const token = stdout.trim();
    expect(token).toMatch(/^mf_/);
    expect((await send(`Bearer ${token}`)).status).toBe(200);
    expect((await t.db.apiToken.findFirstOrThrow({ where: { name: "From the CLI" } })).createdBy).toBe("command line");
  });
});
