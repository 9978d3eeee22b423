import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/events/route";
import { closeDb, createDb } from "@/lib/db/client";
import { ingestEvents } from "@/lib/events/ingest";
import { toAppError } from "@/lib/http/problem";
import { createApiToken } from "@/lib/auth/tokens";
import { testActor } from "@/tests/helpers/actors";
import { buildEvent, createConnector } from "@/tests/helpers/factories";
import { createAppTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let t: TestDatabase;
let connector: number;
let bearer: string;
beforeAll(async () => {
  t = await createAppTestDatabase();
  connector = (await createConnector(t.db, { name: "Edge" })).id;
  bearer = `Bearer ${(await createApiToken(t.db, testActor("ada", "ADMIN"), "tests")).token}`;
});
afterAll(async () => { await t?.drop(); });

const post = (body: BodyInit, type = "application/json", headers: Record<string, string> = {}) =>
  POST(new Request("http://localhost/api/events", { method: "POST", body, headers: { "content-type": type, authorization: bearer, ...headers } }), undefined);

describe("POST /api/events", () => {
  it("takes one event, an array, and NDJSON, and says what became of each", async () => {
    const one = await post(JSON.stringify(buildEvent({ id: "one", connector })));
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const many = await post(JSON.stringify([buildEvent({ id: "one", connector }), buildEvent({ connector, status: "bogus" as never })]));
    expect(await many.json()).toEqual({ accepted: 0, duplicates: 1, rejected: [{ index: 1, field: "status", message: expect.any(String) }] });

    const lines = [JSON.stringify(buildEvent({ id: "nd1", connector })), "{not json", JSON.stringify(buildEvent({ id: "nd2", connector }))].join("\n");
    const nd = await post(lines, "application/x-ndjson");
    expect(await nd.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, field: "(line)", message: "is not valid JSON" }] });
    expect(await t.db.deliveryEvent.count()).toBe(3);
  });

  it("rejects an event with text Postgres cannot store on its own and keeps the rest of the batch", async () => {
    const res = await post(JSON.stringify([
      buildEvent({ id: "nul-1", connector }),
      buildEvent({ id: "nul-2", connector, errorDetails: "refused\u0000" }),
      buildEvent({ id: "nul-3", connector: 2 ** 40 }),
      buildEvent({ id: "nul-4", connector }),
    ]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, field: "errorDetails", message: expect.stringMatching(/NUL/) },
        { index: 2, field: "connector", message: expect.stringMatching(/id/) },
      ],
    });
    expect(await t.db.deliveryEvent.count({ where: { clientId: { in: ["nul-1", "nul-4"] } } })).toBe(2);
  });

  it("refuses bodies it cannot use with the right status and a message a person can act on", async () => {
    const cases: [Response, number, RegExp][] = [
      [await post("{oops"), 400, /not valid JSON/],
      [await post("42"), 400, /event object or an array/],
      [await post("[]"), 400, /no events/],
      [await post("x", "text/plain"), 415, /application\/json/],
      [await post("[]", "application/json", { "content-length": String(6 * 1024 * 1024) }), 413, /larger than 5 MB/],
      [await post(JSON.stringify(Array.from({ length: 5001 }, () => ({})))), 413, /At most 5000/],
      [await post(JSON.stringify([{ occurredAt: "2026-11-27T10:00:00Z" }])), 422, /./],
    ];
    for (const [res, status, detail] of cases) {
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.detail ?? JSON.stringify(body.rejected)).toMatch(detail);
    }
    expect(await t.db.deliveryEvent.count({ where: { clientId: null } })).toBe(0);
  });

  it("streams a body over 5 MB without a declared length into a 413", async () => {
    const big = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
        for (let i = 0; i < 6; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await POST(new Request("http://localhost/api/events", { method: "POST", body: big, headers: { "content-type": "application/json", authorization: bearer }, duplex: "half" } as RequestInit), undefined);
    expect(res.status).toBe(413);
  });

  it("answers 503 and stores nothing when the database is down", async () => {
    const down = createDb("postgres://postgres@127.0.0.1:1/none", 1);
    const error = await ingestEvents(down, [buildEvent({ connector: "Edge" })]).catch((e: unknown) => e);
    expect(toAppError(error).status).toBe(503);
    await closeDb(down);
  });
});
