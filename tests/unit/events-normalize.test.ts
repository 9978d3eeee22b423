import { describe, expect, it } from "vitest";
import { normalizeEvent, parseErrorCode } from "@/lib/events/normalize";
import { compareEvents } from "@/lib/grouping/event";
import { buildEvent } from "@/tests/helpers/factories";

describe("parseErrorCode", () => {
  it.each([
    ["450 4.4.316", { smtpStatus: 450, code: "4.4.316" }],
    ["4.7.320", { smtpStatus: null, code: "4.7.320" }],
    ["Remote server said: 451-4.4.0 Try later; then 5.7.1", { smtpStatus: 451, code: "4.4.0" }],
    ["no code here", null],
    ["", null],
  ])("%s", (text, expected) => expect(parseErrorCode(text)).toEqual(expected));
});

describe("normalizeEvent", () => {
  it("takes the code from errorCode, else from the details, else unknown; none for deliveries", () => {
    expect(normalizeEvent(buildEvent({ errorCode: "4.4.312" })).errorCode).toBe("4.4.312");
    expect(normalizeEvent(buildEvent({ errorCode: undefined, errorDetails: "450 4.4.318 Connection closed" }))).toMatchObject({ errorCode: "4.4.318", smtpStatus: 450 });
    expect(normalizeEvent(buildEvent({ errorCode: undefined, errorDetails: "lost" })).errorCode).toBe("unknown");
    expect(normalizeEvent(buildEvent({ status: "delivered" })).errorCode).toBeNull();
  });

  it("lower-cases addresses and derives the recipient domain", () => {
    expect(normalizeEvent(buildEvent({ recipient: "Bo@Contoso.SE" }))).toMatchObject({ recipient: "bo@contoso.se", recipientDomain: "contoso.se" });
  });
});

it("orders by time, then failures before deliveries, then message", () => {
  const a = normalizeEvent(buildEvent({ occurredAt: "2026-11-27T10:00:00Z", status: "delivered", messageId: "a" }));
  const b = normalizeEvent(buildEvent({ occurredAt: "2026-11-27T10:00:00Z", status: "deferred", messageId: "b" }));
  const c = normalizeEvent(buildEvent({ occurredAt: "2026-11-27T09:59:59Z", status: "delivered", messageId: "c" }));
  expect([a, b, c].sort(compareEvents).map((e) => e.messageId)).toEqual(["c", "b", "a"]);
});
