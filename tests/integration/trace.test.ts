import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvents, ingestObservations } from "@/lib/events/ingest";
import { PROBE_SOURCE } from "@/lib/grouping/event";
import type { EventInput } from "@/lib/events/schemas";
import { applyFixNow } from "@/lib/remediation/service";
import type { TraceList, TraceRow, TraceStory } from "@/lib/trace/schemas";
import { createSignedInUser, withCookie } from "@/tests/helpers/auth-session";
import { buildEvent, createConnector, createDomain } from "@/tests/helpers/factories";
import { testActor } from "@/tests/helpers/actors";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import * as traceRoute from "@/app/api/trace/route";
import * as storyRoute from "@/app/api/trace/messages/[id]/route";

// The message trace end to end: events through the one ingest path, the search and the story
// through their route handlers as a signed-in viewer, against a real Postgres.
let t: TestDatabase;
let viewer: (url: string) => Request;
let onPrem: { id: number; name: string };
let partner: { id: number; name: string };

const H = 3_600_000;
const NOW = Date.now();
const ago = (hours: number) => new Date(NOW - hours * H).toISOString();

function event(hoursAgo: number, overrides: Partial<EventInput>): EventInput {
  return buildEvent({ occurredAt: ago(hoursAgo), connector: onPrem.id, sender: "alice@contoso.se", ...overrides });
}

const delivered = { status: "delivered", errorCode: undefined, errorDetails: undefined } as const;

beforeAll(async () => {
  t = await createAppTestDatabase();
  viewer = withCookie((await createSignedInUser(t.db, "VIEWER", "Vera Viewer")).cookie);
  onPrem = await createConnector(t.db, { name: "To contoso on-premises", kind: "ON_PREMISES" });
  partner = await createConnector(t.db, { name: "To fabrikam partner", kind: "PARTNER" });
  await createDomain(t.db, { name: "contoso.se", type: "INTERNAL_RELAY", connectorId: onPrem.id });
  const events: EventInput[] = [
    // Deferred twice, then delivered: delivered, 3 attempts, its last code kept.
    event(10, { messageId: "<retry@contoso.se>", recipient: "bob@fabrikam.se", errorCode: "450 4.4.318" }),
    event(9, { messageId: "<retry@contoso.se>", recipient: "bob@fabrikam.se", errorCode: "450 4.4.316", errorDetails: "450 4.4.316 Connection refused [Message=Socket error code 10061]" }),
    event(8, { messageId: "<retry@contoso.se>", recipient: "bob@fabrikam.se", destination: "mail.fabrikam.se", ...delivered }),
    // The same message to a second recipient on the partner connector, still queued.
    event(9, { messageId: "<retry@contoso.se>", recipient: "carol@fabrikam.se", connector: partner.id, errorCode: "450 4.7.320" }),
    // Addresses with SQL wildcards, and look-alikes a LIKE would match.
    event(7, { messageId: "<wild1@x>", recipient: "a_b@wild.se", sender: "s_y@contoso.se", ...delivered }),
    event(7, { messageId: "<wild2@x>", recipient: "axb@wild.se", sender: "sxy@contoso.se", ...delivered }),
    event(7, { messageId: "<100%_sure@x>", recipient: "x@wild2.se", ...delivered }),
    event(7, { messageId: "<100xxsure@x>", recipient: "y@wild2.se", ...delivered }),
    // A permanent failure, an MTA's expiry, a message the queue expires (24 h) and one Fix now rejects.
    event(6, { messageId: "<failed@x>", recipient: "gone@fabrikam.se", connector: partner.id, status: "failed", errorCode: "550 5.1.1" }),
    event(30, { messageId: "<mta-expired@x>", recipient: "late@fabrikam.se", connector: partner.id, errorCode: "450 4.4.315" }),
    event(5, { messageId: "<mta-expired@x>", recipient: "late@fabrikam.se", connector: partner.id, status: "expired", errorCode: "550 4.4.7" }),
    event(40, { messageId: "<queue-expired@x>", recipient: "old@contoso.se", errorCode: "450 4.4.316" }),
    event(3, { messageId: "<rejected@x>", recipient: "rej@contoso.se", errorCode: "450 4.4.316", errorDetails: "450 4.4.316 Connection refused" }),
    event(2, { messageId: "<rejected@x>", recipient: "rej@contoso.se", errorCode: "450 4.4.316", errorDetails: "450 4.4.316 Connection refused" }),
    // Outside the default 48 hours.
    event(100, { messageId: "<old@x>", recipient: "bob@fabrikam.se", ...delivered }),
  ];
  const result = await ingestEvents(t.db, events);
  expect(result.rejected).toEqual([]);
  const alert = await t.db.alert.findFirstOrThrow({ where: { connectorId: onPrem.id, errorCode: "4.4.316", resolvedAt: null } });
  await applyFixNow(t.db, { alertId: alert.id, actor: testActor("ada", "ADMIN") });
});

afterAll(async () => {
  await t.drop();
});

async function search(query: Record<string, string>): Promise<TraceList> {
  const res = await traceRoute.GET(viewer(`http://localhost/api/trace?${new URLSearchParams(query)}`), undefined);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as TraceList;
}

async function refusal(query: Record<string, string>): Promise<{ status: number; detail: string; issues: { field: string; message: string }[] }> {
  const res = await traceRoute.GET(viewer(`http://localhost/api/trace?${new URLSearchParams(query)}`), undefined);
  const body = (await res.json()) as { detail: string; issues: { field: string; message: string }[] };
  return { status: res.status, ...body };
}

const keys = (list: TraceList) => list.items.map((r) => `${r.messageId} ${r.recipient}`).sort();
const row = (list: TraceList, recipient: string) => list.items.find((r) => r.recipient === recipient)!;

async function story(id: string): Promise<TraceStory> {
  const res = await storyRoute.GET(viewer(`http://localhost/api/trace/messages/${id}`), { params: Promise.resolve({ id }) });
  expect(res.status).toBe(200);
  return (await res.json()) as TraceStory;
}

describe("trace search", () => {
  it("finds a message by its id, with or without angle brackets, one row per recipient and connector", async () => {
    const list = await search({ messageId: "retry@contoso.se" });
    expect(keys(list)).toEqual(["<retry@contoso.se> bob@fabrikam.se", "<retry@contoso.se> carol@fabrikam.se"]);
    expect(keys(await search({ messageId: "<retry@contoso.se>" }))).toEqual(keys(list));
    const bob = row(list, "bob@fabrikam.se");
    expect(bob).toMatchObject({
      sender: "alice@contoso.se", attempts: 3, state: "delivered", lastCode: "4.4.316", source: "api",
      connector: { id: onPrem.id, name: onPrem.name }, firstAttemptAt: ago(10), lastAttemptAt: ago(8),
    });
    expect(row(list, "carol@fabrikam.se")).toMatchObject({ state: "queued", attempts: 1, lastCode: "4.7.320", connector: { id: partner.id } });
  });

  it("gives each message its state: delivered, queued, failed, expired (by the MTA or the queue's lifetime) and rejected by Fix now", async () => {
    const all = await search({});
    const state = (recipient: string) => row(all, recipient)?.state;
    expect(state("gone@fabrikam.se")).toBe("failed");
    expect(state("old@contoso.se")).toBe("expired");
    expect(state("rej@contoso.se")).toBe("rejected");
    expect(row(all, "late@fabrikam.se")).toMatchObject({ state: "expired", attempts: 2, lastCode: "4.4.7" });
    for (const s of ["delivered", "queued", "failed", "expired", "rejected"] as const) {
      const list = await search({ status: s, from: ago(60) });
      expect(list.items.length, s).toBeGreaterThan(0);
      expect(list.items.every((r) => r.state === s), s).toBe(true);
    }
  });

  it("searches by exact sender and recipient, and by recipient domain", async () => {
    expect(keys(await search({ sender: "S_Y@CONTOSO.SE" }))).toEqual(["<wild1@x> a_b@wild.se"]);
    expect(keys(await search({ recipient: "bob@fabrikam.se" }))).toEqual(["<retry@contoso.se> bob@fabrikam.se"]);
    expect(keys(await search({ recipient: "@wild.se" }))).toEqual(["<wild1@x> a_b@wild.se", "<wild2@x> axb@wild.se"]);
  });

  it("takes % and _ literally: no term is a pattern", async () => {
    expect(keys(await search({ recipient: "a_b@wild.se" }))).toEqual(["<wild1@x> a_b@wild.se"]);
    for (const term of ["%", "a%", "_", "a_b%", "%@wild.se", "a_b_c@wild.se"]) expect((await search({ recipient: term })).items, term).toEqual([]);
    for (const term of ["@%", "@wild%", "@_ild.se", "@w%"]) expect((await search({ recipient: term })).items, term).toEqual([]);
    expect((await search({ sender: "%" })).items).toEqual([]);
    expect((await search({ sender: "s%" })).items).toEqual([]);
    expect((await search({ messageId: "%" })).items).toEqual([]);
    expect(keys(await search({ messageId: "100%_sure@x" }))).toEqual(["<100%_sure@x> x@wild2.se"]);
    expect((await search({ messageId: "<100%sure@x>" })).items).toEqual([]);
    expect((await search({ messageId: "<wild_@x>" })).items).toEqual([]);
  });

  it("filters by connector and by code, in either spelling", async () => {
    const onPartner = await search({ connector: String(partner.id), from: ago(60) });
    expect(onPartner.items.every((r) => r.connector.id === partner.id)).toBe(true);
    expect(keys(onPartner)).toContain("<failed@x> gone@fabrikam.se");
    expect(keys(await search({ code: "450 4.7.320" }))).toEqual(["<retry@contoso.se> carol@fabrikam.se"]);
    expect(keys(await search({ code: "5.1.1" }))).toEqual(["<failed@x> gone@fabrikam.se"]);
    expect(keys(await search({ code: "4.4.316", connector: String(onPrem.id) }))).toEqual(["<queue-expired@x> old@contoso.se", "<rejected@x> rej@contoso.se", "<retry@contoso.se> bob@fabrikam.se"]);
  });

  it("searches the last 48 hours by default and any range of up to 90 days", async () => {
    const list = await search({});
    expect(keys(list)).not.toContain("<old@x> bob@fabrikam.se");
    expect(new Date(list.range.to).getTime() - new Date(list.range.from).getTime()).toBe(48 * H);
    expect(keys(await search({ recipient: "bob@fabrikam.se", from: ago(24 * 89) }))).toEqual(["<old@x> bob@fabrikam.se", "<retry@contoso.se> bob@fabrikam.se"]);
    expect(keys(await search({ recipient: "bob@fabrikam.se", from: ago(101), to: ago(99) }))).toEqual(["<old@x> bob@fabrikam.se"]);
  });

  it("answers a reversed range, one over 90 days, a bad cursor and over-long or malformed terms with a 400 naming the field", async () => {
    const reversed = await refusal({ from: ago(1), to: ago(2) });
    expect(reversed).toMatchObject({ status: 400, issues: [{ field: "to", message: "must be later than from" }] });
    expect(reversed.detail).toContain("to");
    expect(await refusal({ from: ago(24 * 91), to: ago(0) })).toMatchObject({ status: 400, issues: [{ field: "from" }] });
    expect((await refusal({ from: ago(24 * 91) })).detail).toContain("90 days");
    expect(await refusal({ recipient: "r".repeat(5000) })).toMatchObject({ status: 400, issues: [{ field: "recipient", message: "is longer than 320 characters" }] });
    expect(await refusal({ messageId: "m".repeat(999) })).toMatchObject({ status: 400, issues: [{ field: "messageId" }] });
    expect(await refusal({ code: "DROP TABLE" })).toMatchObject({ status: 400, issues: [{ field: "code" }] });
    expect(await refusal({ cursor: "bm90IGEgY3Vyc29y" })).toMatchObject({ status: 400 });
    const signedOut = await traceRoute.GET(new Request("http://localhost/api/trace"), undefined);
    expect(signedOut.status).toBe(401);
  });
});

describe("trace paging", () => {
  it("pages through many messages by the keyset, newest first, without duplicates or gaps", async () => {
    // 130 messages of one sender, some at the very same instant (ties broken by id).
    const burst = Array.from({ length: 130 }, (_, i) =>
      event(20 + Math.floor(i / 3) / 10, { messageId: `<page-${i}@x>`, recipient: `p${i}@paging.se`, sender: "pager@contoso.se", ...delivered }));
    expect((await ingestEvents(t.db, burst)).accepted).toBe(130);
    const seen: TraceRow[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: TraceList = await search({ sender: "pager@contoso.se", limit: "17", ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(8);
    expect(new Set(seen.map((r) => r.id)).size).toBe(130);
    expect(seen.map((r) => r.messageId).sort()).toEqual(burst.map((e) => e.messageId).sort());
    const order = seen.map((r) => [Date.parse(r.firstAttemptAt), BigInt(r.id)] as const);
    for (let i = 1; i < order.length; i++) {
      const [ta, ia] = order[i - 1]!;
      const [tb, ib] = order[i]!;
      expect(ta > tb || (ta === tb && ia > ib)).toBe(true);
    }
  });
});

describe("trace story", () => {
  it("tells every attempt in order with code, details, destination and source, and the other recipients", async () => {
    const bob = row(await search({ messageId: "retry@contoso.se" }), "bob@fabrikam.se");
    const s = await story(bob.id);
    expect(s.message).toEqual(bob);
    expect(s.attempts.map((a) => [a.occurredAt, a.status, a.errorCode])).toEqual([
      [ago(10), "DEFERRED", "4.4.318"], [ago(9), "DEFERRED", "4.4.316"], [ago(8), "DELIVERED", null],
    ]);
    expect(s.attempts[1]).toMatchObject({ smtpStatus: 450, errorDetails: "450 4.4.316 Connection refused [Message=Socket error code 10061]", source: "api" });
    expect(s.attempts[2]!.destination).toBe("mail.fabrikam.se");
    expect(s.attemptsTruncated).toBe(false);
    expect(s.queue).toMatchObject({ state: "DELIVERED", settledAt: ago(8) });
    expect(s.alert).toMatchObject({ errorCode: "4.4.316" });
    expect(s.remediation).toBeNull();
    expect(s.related).toEqual([expect.objectContaining({ recipient: "carol@fabrikam.se", connector: { id: partner.id, name: partner.name }, state: "queued" })]);
  });

  it("shows the queue's state and expiry, the alert and the Fix now that rejected a queued message", async () => {
    const rejected = (await search({ recipient: "rej@contoso.se" })).items[0]!;
    const s = await story(rejected.id);
    const fix = await t.db.remediation.findFirstOrThrow();
    expect(s.queue).toMatchObject({ state: "REJECTED", expiresAt: new Date(Date.parse(ago(3)) + 24 * H).toISOString(), ndrAt: fix.appliedAt.toISOString() });
    expect(s.alert).toMatchObject({ id: fix.alertId, errorCode: "4.4.316", status: "RESOLVED" });
    expect(s.remediation).toEqual({ id: fix.id, alertId: fix.alertId, appliedBy: "ada", appliedAt: fix.appliedAt.toISOString(), undoneAt: null });
    const expired = await story((await search({ recipient: "old@contoso.se" })).items[0]!.id);
    expect(expired.queue).toMatchObject({ state: "EXPIRED", expiresAt: new Date(Date.parse(ago(40)) + 24 * H).toISOString() });
    expect(expired.remediation).toBeNull();
  });

  it("answers 404 for an unknown message and 400 for an id that is not one", async () => {
    const missing = await storyRoute.GET(viewer("http://localhost/api/trace/messages/99999"), { params: Promise.resolve({ id: "99999" }) });
    expect(missing.status).toBe(404);
    const bad = await storyRoute.GET(viewer("http://localhost/api/trace/messages/1x"), { params: Promise.resolve({ id: "1x" }) });
    expect(bad.status).toBe(400);
  });
});

describe("trace storage", () => {
  it("keeps the trace row right when events of a message arrive late, in another batch, or twice", async () => {
    const id = "<late@x>";
    await ingestEvents(t.db, [event(3, { id: "late-3", messageId: id, recipient: "l@late.se", ...delivered })]);
    await ingestEvents(t.db, [event(5, { id: "late-5", messageId: id, recipient: "l@late.se", errorCode: "450 4.4.315" })]);
    await ingestEvents(t.db, [event(5, { id: "late-5", messageId: id, recipient: "l@late.se", errorCode: "450 4.4.315" })]);
    const [r] = (await search({ messageId: id })).items;
    expect(r).toMatchObject({ firstAttemptAt: ago(5), lastAttemptAt: ago(3), attempts: 2, state: "delivered", lastCode: "4.4.315" });
  });

  it("leaves Validate connector's observations out of the trace", async () => {
    const observation = { clientId: null, occurredAt: new Date(ago(1)), messageId: "probe-observation", sender: null, recipient: null, recipientDomain: null,
      status: "DEFERRED" as const, smtpStatus: 450, errorCode: "4.4.315", errorDetails: "connect timed out", destination: "mx.fabrikam.se" };
    await ingestObservations(t.db, partner.id, [observation], PROBE_SOURCE);
    expect(await t.db.deliveryEvent.count({ where: { messageId: "probe-observation" } })).toBe(1);
    expect(await t.db.traceMessage.count({ where: { messageId: "probe-observation" } })).toBe(0);
  });
});
