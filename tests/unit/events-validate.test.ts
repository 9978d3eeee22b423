import { describe, expect, it } from "vitest";
import { validateEvent } from "@/lib/events/validate";
import { buildEvent } from "@/tests/helpers/factories";

const problem = (raw: unknown) => {
  const checked = validateEvent(raw);
  return checked.ok ? null : { field: checked.field, message: checked.message };
};

describe("validateEvent", () => {
  it("accepts a whole event, trims its strings (the error text excepted) and parses its time", () => {
    const checked = validateEvent({
      ...buildEvent({ id: "  e1 ", connector: " Edge ", messageId: " <m@x> ", errorDetails: "  450 4.4.316 refused  " }),
      occurredAt: "2026-11-27T11:00:00.5+01:00",
    });
    expect(checked).toMatchObject({ ok: true, occurredAt: new Date("2026-11-27T10:00:00.500Z") });
    expect(checked.ok && checked.event).toMatchObject({ id: "e1", connector: "Edge", messageId: "<m@x>", errorDetails: "  450 4.4.316 refused  " });
  });

  it("takes the minimum (time, connector, message, status) and counts null as absent", () => {
    const checked = validateEvent({ occurredAt: "2026-11-27T10:00:00Z", connector: 3, messageId: "m", status: "delivered", sender: null, errorCode: null });
    expect(checked).toMatchObject({ ok: true, event: { occurredAt: "2026-11-27T10:00:00Z", connector: 3, messageId: "m", status: "delivered" } });
    expect(checked.ok && Object.keys(checked.event).sort()).toEqual(["connector", "messageId", "occurredAt", "status"]);
  });

  it.each([
    [[], "(event)", /JSON object/],
    ["event", "(event)", /JSON object/],
    [{ ...buildEvent(), occurredAt: undefined }, "occurredAt", /is required/],
    [{ ...buildEvent(), occurredAt: "yesterday" }, "occurredAt", /ISO 8601/],
    [{ ...buildEvent(), occurredAt: "2026-11-27T10:00:00" }, "occurredAt", /time zone/],
    [{ ...buildEvent(), occurredAt: "2026-02-30T10:00:00Z" }, "occurredAt", /ISO 8601/],
    [{ ...buildEvent(), occurredAt: 1764237600000 }, "occurredAt", /must be a string, not a number/],
    [{ ...buildEvent(), connector: undefined }, "connector", /is required/],
    [{ ...buildEvent(), connector: 0 }, "connector", /id .* or its name/],
    [{ ...buildEvent(), connector: 1.5 }, "connector", /id .* or its name/],
    [{ ...buildEvent(), connector: 2 ** 31 }, "connector", /id .* or its name/],
    [{ ...buildEvent(), connector: "   " }, "connector", /must not be empty/],
    [{ ...buildEvent(), connector: "x".repeat(65) }, "connector", /at most 64/],
    [{ ...buildEvent(), messageId: "" }, "messageId", /must not be empty/],
    [{ ...buildEvent(), messageId: ["m"] }, "messageId", /not a list/],
    [{ ...buildEvent(), id: "x".repeat(201) }, "id", /at most 200/],
    [{ ...buildEvent(), sender: "not an address" }, "sender", /e-mail address/],
    [{ ...buildEvent(), recipient: "bo@localhost" }, "recipient", /e-mail address/],
    [{ ...buildEvent(), status: undefined }, "status", /is required/],
    [{ ...buildEvent(), status: "Deferred" }, "status", /one of deferred, delivered, failed/],
    [{ ...buildEvent(), errorCode: "refused" }, "errorCode", /450 4.4.316/],
    [{ ...buildEvent(), errorDetails: "é".repeat(2049) }, "errorDetails", /at most 4 KB/],
    [{ ...buildEvent(), destination: "x".repeat(256) }, "destination", /at most 255/],
    [{ ...buildEvent(), admin: true, role: "x" }, "(event)", /unknown field\(s\): admin, role/],
  ])("rejects %j in %s", (raw, field, message) => {
    expect(problem(raw)).toEqual({ field, message: expect.stringMatching(message) });
  });

  it("takes 4 KB of error text counted in UTF-8 bytes", () => {
    expect(problem({ ...buildEvent(), errorDetails: "é".repeat(2048) })).toBeNull();
  });

  it("rejects text Postgres cannot store (NUL, a broken surrogate) instead of failing the batch", () => {
    expect(problem({ ...buildEvent(), errorDetails: "refused\u0000" })).toEqual({ field: "errorDetails", message: expect.stringMatching(/NUL/) });
    expect(problem({ ...buildEvent(), messageId: "<m\ud800@x>" })).toEqual({ field: "messageId", message: expect.stringMatching(/surrogate/) });
    expect(problem({ ...buildEvent(), connector: "Edge\u0000" })).toEqual({ field: "connector", message: expect.stringMatching(/cannot be stored/) });
    expect(problem({ ...buildEvent(), errorDetails: "emoji \ud83d\udce8 ok" })).toBeNull();
  });
});
