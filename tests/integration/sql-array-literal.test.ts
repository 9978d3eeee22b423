import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { arrayLiteral } from "@/lib/db/sql";
import { TEST_SERVER_URL } from "@/tests/helpers/test-db";

// The ingest path hands Postgres its arrays as literals it builds itself: what goes in must come
// back exactly, whatever the text holds.
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
});
afterAll(async () => { await client?.end(); });

it("round-trips text Postgres would otherwise read as syntax", async () => {
  const values = [
    "plain", "", "NULL", "null", 'say "hi"', "back\\slash", "\\\"", "{braces}", "a,b", " spaced ", "tab\there", "line\nbreak",
    "450 4.4.316 Connection refused [Socket error code 10061]", "åäö – 📨", "<m@x>", "'quoted'",
  ];
  const { rows } = await client.query("SELECT $1::text[] AS a", [arrayLiteral(values)]);
  expect(rows[0].a).toEqual(values);
});

it("sends null and undefined as NULL, numbers as numbers, dates as the same instant", async () => {
  const when = new Date("2026-11-27T10:00:00.123Z");
  const { rows } = await client.query("SELECT $1::text[] AS t, $2::int[] AS i, $3::timestamptz[] AS d", [
    arrayLiteral(["a", null, undefined, "b"]),
    arrayLiteral([1, null, -3, 2147483647]),
    arrayLiteral([when, null]),
  ]);
  expect(rows[0]).toEqual({ t: ["a", null, null, "b"], i: [1, null, -3, 2147483647], d: [when, null] });
  expect(arrayLiteral([])).toBe("{}");
});
