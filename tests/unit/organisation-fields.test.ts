import { describe, expect, it } from "vitest";
import {
  checkRecipientDomain, checkSmartHost, connectorFieldsSchema, connectorRuleIssues, domainFieldsSchema, isIpv6,
} from "@/lib/organisation/connector-fields";

describe("smart hosts", () => {
  it.each([
    ["mail.contoso.com", "mail.contoso.com"],
    ["MAIL.Contoso.COM:2525", "mail.contoso.com:2525"],
    ["203.0.113.25", "203.0.113.25"],
    ["203.0.113.25:25", "203.0.113.25:25"],
    ["[2001:db8::25]", "[2001:db8::25]"],
    ["[2001:db8::25]:587", "[2001:db8::25]:587"],
    ["[::ffff:192.0.2.1]", "[::ffff:192.0.2.1]"],
  ])("accepts %s", (input, canonical) => {
    expect(checkSmartHost(input)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    ["smtp://mail.contoso.com", /URL/],
    ["https://mail.contoso.com/relay", /URL/],
    ["mail.contoso.com/relay", /no path/],
    ["user@mail.contoso.com", /no path, user/],
    ["2001:db8::25", /in brackets/],
    ["[2001:db8::25", /does not close/],
    ["[2001:db8::zz]", /not a valid IPv6/],
    ["mail.contoso.com:0", /port/],
    ["mail.contoso.com:70000", /port/],
    ["-bad-.contoso.com", /neither a host name/],
    ["localhost", /neither a host name/],
    ["999.1.1.1", /neither/],
    ["", /empty/],
    ["mail\u0000.contoso.com", /control character/],
  ])("refuses %j", (input, message) => {
    const checked = checkSmartHost(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(message);
  });

  it("knows IPv6 forms", () => {
    expect(isIpv6("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe(true);
    expect(isIpv6("::1")).toBe(true);
    expect(isIpv6("1:2:3:4:5:6:7:8:9")).toBe(false);
    expect(isIpv6("1::2::3")).toBe(false);
  });
});

describe("recipient domains", () => {
  it("takes domains, wildcards and *, in lower case, and refuses the rest", () => {
    expect(checkRecipientDomain("Contoso.COM")).toEqual({ ok: true, value: "contoso.com" });
    expect(checkRecipientDomain("*.contoso.com")).toEqual({ ok: true, value: "*.contoso.com" });
    expect(checkRecipientDomain("*")).toEqual({ ok: true, value: "*" });
    for (const bad of ["*contoso.com", "contoso", "con toso.com", "*.*.contoso.com", "contoso.com/x"]) expect(checkRecipientDomain(bad).ok).toBe(false);
  });
});

describe("connector fields", () => {
  const base = { name: "To on-premises", kind: "ON_PREMISES", smartHosts: ["mail.contoso.com"], recipientDomains: ["contoso.com"] };

  it("fills defaults and canonicalises lists (lower case, no repeats)", () => {
    const parsed = connectorFieldsSchema.parse({ ...base, smartHosts: ["Mail.Contoso.com", "mail.contoso.com"], recipientDomains: ["*.Contoso.com"] });
    expect(parsed).toEqual({
      name: "To on-premises", comment: null, kind: "ON_PREMISES", enabled: true, useMxRecord: false,
      smartHosts: ["mail.contoso.com"], recipientDomains: ["*.contoso.com"], tlsMode: "OPPORTUNISTIC", tlsDomain: null,
    });
  });

  it("names the field of each bad value", () => {
    const result = connectorFieldsSchema.safeParse({ ...base, name: "x".repeat(65), smartHosts: ["https://evil.example/x"], extra: 1 });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => i.path.join(".") || i.code);
    expect(fields).toEqual(expect.arrayContaining(["name", "smartHosts"]));
    expect(connectorFieldsSchema.safeParse({ ...base, name: "bad\u0007name" }).success).toBe(false);
    expect(connectorFieldsSchema.safeParse({ ...base, name: "   " }).success).toBe(false);
    expect(connectorFieldsSchema.safeParse({ ...base, comment: "two\nlines\tand a tab" }).success).toBe(true);
  });

  it("checks how routing and TLS fit together", () => {
    expect(connectorRuleIssues({ useMxRecord: false, smartHosts: [], tlsMode: "OPPORTUNISTIC", tlsDomain: null })).toEqual([
      { field: "smartHosts", message: expect.stringContaining("at least one smart host") },
    ]);
    expect(connectorRuleIssues({ useMxRecord: true, smartHosts: ["a.example.com"], tlsMode: "OPPORTUNISTIC", tlsDomain: null })[0]!.field).toBe("smartHosts");
    expect(connectorRuleIssues({ useMxRecord: true, smartHosts: [], tlsMode: "DOMAIN_VALIDATION", tlsDomain: null })[0]!.field).toBe("tlsDomain");
    expect(connectorRuleIssues({ useMxRecord: true, smartHosts: [], tlsMode: "ENCRYPTION_ONLY", tlsDomain: "contoso.com" })[0]!.field).toBe("tlsDomain");
    expect(connectorRuleIssues({ useMxRecord: true, smartHosts: [], tlsMode: "DOMAIN_VALIDATION", tlsDomain: "*.contoso.com" })).toEqual([]);
  });
});

describe("accepted domain fields", () => {
  it("lower-cases the name and refuses what is not a domain", () => {
    expect(domainFieldsSchema.parse({ name: "Contoso.SE", type: "INTERNAL_RELAY" })).toEqual({ name: "contoso.se", type: "INTERNAL_RELAY", connectorId: null });
    expect(domainFieldsSchema.safeParse({ name: "not a domain", type: "AUTHORITATIVE" }).success).toBe(false);
    expect(domainFieldsSchema.safeParse({ name: `${"a".repeat(250)}.se`, type: "AUTHORITATIVE" }).success).toBe(false);
    expect(domainFieldsSchema.safeParse({ name: "contoso.se", type: "SOMETHING" }).success).toBe(false);
  });
});
