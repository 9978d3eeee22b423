import { describe, expect, it } from "vitest";
import { MAX_ADDRESS, MAX_MESSAGE_ID, messageIdForms, parseTraceSearch, searchKey, traceSearchString, type TraceSearch } from "@/lib/trace/search";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const H = 3_600_000;

function ok(params: Record<string, string | string[] | undefined>): TraceSearch {
  const parsed = parseTraceSearch(params, NOW);
  if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.issues)}`);
  return parsed.search;
}

function refused(params: Record<string, string>) {
  const parsed = parseTraceSearch(params, NOW);
  if (parsed.ok) throw new Error("accepted");
  return parsed.issues;
}

describe("parseTraceSearch", () => {
  it("searches the last 48 hours by default, 50 rows a page", () => {
    const s = ok({});
    expect(s.to).toEqual(NOW);
    expect(s.from).toEqual(new Date(NOW.getTime() - 48 * H));
    expect(s.limit).toBe(50);
    expect(s.given).toEqual({});
  });

  it("normalises terms: trimmed, addresses in lower case, a recipient domain written @domain", () => {
    const s = ok({ sender: "  Alice@Contoso.SE ", recipient: "@Fabrikam.SE", messageId: " <Abc@Host> ", code: "450 4.4.316" });
    expect(s.sender).toBe("alice@contoso.se");
    expect(s.domain).toBe("fabrikam.se");
    expect(s.recipient).toBeUndefined();
    expect(s.messageIds).toEqual(["Abc@Host", "<Abc@Host>"]);
    expect(s.code).toBe("4.4.316");
    expect(ok({ recipient: "Bob@Fabrikam.se" }).recipient).toBe("bob@fabrikam.se");
  });

  it("keeps % and _ as they are: terms are compared for equality", () => {
    expect(ok({ recipient: "a_b%c@contoso.se" }).recipient).toBe("a_b%c@contoso.se");
    expect(ok({ recipient: "@%" }).domain).toBe("%");
    expect(ok({ messageId: "%" }).messageIds).toEqual(["%", "<%>"]);
  });

  it("treats empty parameters as not given", () => {
    expect(ok({ sender: "", recipient: "  ", status: "" }).given).toEqual({});
  });

  it("takes a range with either end alone and with both", () => {
    const from = "2026-11-30T00:00:00Z";
    expect(ok({ from }).to).toEqual(NOW);
    expect(ok({ to: "2026-11-29T00:00:00Z" }).from).toEqual(new Date("2026-11-27T00:00:00Z"));
    const both = ok({ from, to: "2026-11-30T06:00:00+01:00" });
    expect(both.from).toEqual(new Date(from));
    expect(both.to).toEqual(new Date("2026-11-30T05:00:00Z"));
  });

  it("refuses a reversed range, one longer than 90 days and a time without a zone", () => {
    expect(refused({ from: "2026-11-30T00:00:00Z", to: "2026-11-29T00:00:00Z" })).toMatchObject([{ field: "to", reason: "reversed" }]);
    expect(refused({ from: "2026-11-30T00:00:00Z", to: "2026-11-30T00:00:00Z" })).toMatchObject([{ field: "to", reason: "reversed" }]);
    expect(refused({ from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z" })).toMatchObject([{ field: "from", reason: "tooWide", max: 90 }]);
    expect(ok({ from: "2026-09-02T12:00:00Z" }).from).toEqual(new Date("2026-09-02T12:00:00Z"));
    expect(refused({ from: "2026-09-02T11:59:59Z" })[0]!.reason).toBe("tooWide");
    expect(refused({ from: "2026-11-30T00:00" })).toMatchObject([{ field: "from", reason: "notTime" }]);
    expect(refused({ to: "yesterday" })).toMatchObject([{ field: "to", reason: "notTime" }]);
  });

  it("reaches as far back as the caller's retention allows", () => {
    const from = "2026-10-22T12:00:00Z";
    expect(parseTraceSearch({ from }, NOW, 40).ok).toBe(true);
    expect(parseTraceSearch({ from }, NOW, 39)).toMatchObject({ ok: false, issues: [{ field: "from", reason: "tooWide", max: 39 }] });
  });

  it("refuses over-long terms with their limit", () => {
    expect(ok({ messageId: "x".repeat(MAX_MESSAGE_ID) }).messageIds?.[0]).toHaveLength(MAX_MESSAGE_ID);
    expect(refused({ messageId: "x".repeat(MAX_MESSAGE_ID + 1) })).toMatchObject([{ field: "messageId", reason: "tooLong", max: MAX_MESSAGE_ID }]);
    expect(refused({ sender: `${"a".repeat(MAX_ADDRESS)}@x` })).toMatchObject([{ field: "sender", reason: "tooLong", max: MAX_ADDRESS }]);
    expect(refused({ recipient: "r".repeat(10_000) })).toMatchObject([{ field: "recipient", reason: "tooLong" }]);
    expect(refused({ code: "4".repeat(100) })).toMatchObject([{ field: "code", reason: "tooLong" }]);
  });

  it("refuses a sender domain, an empty domain, a bad code, state, connector or page size, reporting every field", () => {
    const issues = refused({ sender: "@contoso.se", recipient: "@", code: "4.4", status: "lost", connector: "0", limit: "500" });
    expect(issues.map((i) => [i.field, i.reason])).toEqual([
      ["sender", "senderDomain"], ["recipient", "notAddress"], ["code", "notCode"], ["status", "notStatus"], ["connector", "notConnector"], ["limit", "notLimit"],
    ]);
    expect(refused({ code: "other" })).toMatchObject([{ reason: "notCode" }]);
    expect(refused({ connector: "99999999999" })).toMatchObject([{ reason: "notConnector" }]);
    expect(refused({ recipient: "@a@b" })).toMatchObject([{ reason: "notAddress" }]);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
  });

  it("keeps what was given when it refuses, for the form", () => {
    const parsed = parseTraceSearch({ code: "nope", sender: "a@b" }, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.given).toEqual({ sender: "a@b", code: "nope" });
  });

  it("accepts each state, a connector id, unknown as a code and a page size", () => {
    for (const status of ["delivered", "queued", "expired", "failed", "rejected"]) expect(ok({ status }).status).toBe(status);
    expect(ok({ connector: "12" }).connector).toBe(12);
    expect(ok({ code: "UNKNOWN" }).code).toBe("unknown");
    expect(ok({ limit: "200" }).limit).toBe(200);
    expect(ok({ sender: ["a@b", "c@d"] }).sender).toBe("a@b");
  });
});

describe("messageIdForms", () => {
  it("finds a message id with or without its angle brackets", () => {
    expect(messageIdForms("<a@b>")).toEqual(["a@b", "<a@b>"]);
    expect(messageIdForms("a@b")).toEqual(["a@b", "<a@b>"]);
    expect(messageIdForms("<>")).toEqual(["<>", "<<>>"]);
  });
});

describe("traceSearchString", () => {
  it("writes the given terms in a fixed order, encoded, with extras such as the cursor", () => {
    expect(traceSearchString({})).toBe("");
    expect(traceSearchString({ to: "2026-12-01T00:00:00Z", sender: "a+b@c.se" }, { cursor: "xyz" })).toBe("?sender=a%2Bb%40c.se&to=2026-12-01T00%3A00%3A00Z&cursor=xyz");
  });

  it("makes the same key for the same search whatever the parameter order, and another for another search", () => {
    const a = ok({ sender: "a@b", code: "4.4.316" });
    const b = ok({ code: "4.4.316", sender: "a@b", limit: "10" });
    expect(searchKey(a)).toBe(searchKey(b));
    expect(searchKey(ok({ sender: "a@b" }))).not.toBe(searchKey(a));
  });
});
