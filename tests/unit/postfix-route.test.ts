import { describe, expect, it } from "vitest";
import { postfixRouter, type PostfixConnector } from "@/lib/sources/postfix/route";

function connector(id: number, recipientDomains: string[], smartHosts: string[], more: Partial<PostfixConnector> = {}): PostfixConnector {
  return { id, enabled: true, retired: false, recipientDomains, smartHosts, ...more };
}

describe("postfixRouter", () => {
  const route = postfixRouter([
    connector(1, ["contoso.se", "*.contoso.se"], ["mail.contoso.se"]),
    connector(2, ["eu.contoso.se"], []),
    connector(3, [], ["relay.northwind.example:2525", "203.0.113.7", "[2001:db8::25]"]),
    connector(4, ["*"], ["mail.old.example"], { retired: true }),
  ]);

  it("routes by the recipient's domain first, the most specific match winning", () => {
    expect(route("contoso.se", null)).toBe(1);
    expect(route("se.contoso.se", "relay.northwind.example[203.0.113.7]:2525")).toBe(1);
    expect(route("eu.contoso.se", null)).toBe(2);
    expect(route("EU.Contoso.SE", null)).toBe(2);
  });

  it("else matches the relay against smart hosts by name or IP, and by port where the smart host writes one", () => {
    expect(route("partner.example", "relay.northwind.example[198.51.100.7]:2525")).toBe(3);
    expect(route("partner.example", "relay.northwind.example[198.51.100.7]:25")).toBeNull();
    expect(route("partner.example", "mx.partner.example[203.0.113.7]:25")).toBe(3);
    expect(route("partner.example", "mx.partner.example[2001:db8::25]:25")).toBe(3);
    expect(route("partner.example", "Mail.Contoso.SE[192.0.2.10]:25")).toBe(1);
    expect(route("partner.example", "mail.contoso.se[192.0.2.10]")).toBe(1);
  });

  it("routes nothing through a retired connector, and nothing without a match", () => {
    expect(route("elsewhere.example", "mail.old.example[192.0.2.99]:25")).toBeNull();
    expect(route("elsewhere.example", null)).toBeNull();
    expect(route("elsewhere.example", "none")).toBeNull();
  });

  it("a smart host two connectors name goes to the enabled one, then the lower id", () => {
    const shared = postfixRouter([
      connector(7, [], ["mail.shared.example"], { enabled: false }),
      connector(9, [], ["mail.shared.example"]),
      connector(8, [], ["mail.shared.example"]),
    ]);
    expect(shared("x.example", "mail.shared.example[192.0.2.5]:25")).toBe(8);
  });
});
