import { describe, expect, it } from "vitest";
import { fixNowCommands, psQuote, setDomainType, undoCommands } from "@/lib/organisation/powershell";
import { matchSpecificity, routeRecipientDomain } from "@/lib/organisation/route-match";

const connector = (id: number, recipientDomains: string[], extra: { enabled?: boolean; retired?: boolean } = {}) =>
  ({ id, enabled: extra.enabled ?? true, retired: extra.retired ?? false, recipientDomains });

describe("routeRecipientDomain: the most specific match routes", () => {
  const all = connector(1, ["*"]);
  const wide = connector(2, ["*.contoso.com"]);
  const narrow = connector(3, ["*.sales.contoso.com"]);
  const exact = connector(4, ["eu.sales.contoso.com", "fabrikam.com"]);
  const list = [all, wide, narrow, exact];

  it.each([
    ["eu.sales.contoso.com", 4],
    ["us.sales.contoso.com", 3],
    ["mail.contoso.com", 2],
    ["contoso.com", 1],
    ["fabrikam.com", 4],
    ["FABRIKAM.COM.", 4],
    ["northwind.example", 1],
  ])("%s goes to connector %i", (domain, id) => {
    expect(routeRecipientDomain(domain, list)?.id).toBe(id);
    expect(routeRecipientDomain(domain, [...list].reverse())?.id).toBe(id);
  });

  it("a wildcard does not cover its own base domain, and nothing matches without a pattern", () => {
    expect(matchSpecificity("*.contoso.com", "contoso.com")).toBeNull();
    expect(routeRecipientDomain("contoso.com", [wide])).toBeNull();
  });

  it("skips retired connectors and breaks ties by enabled, then by the lower id", () => {
    expect(routeRecipientDomain("a.contoso.com", [connector(9, ["*.contoso.com"], { retired: true }), all])?.id).toBe(1);
    expect(routeRecipientDomain("a.contoso.com", [connector(5, ["*.contoso.com"], { enabled: false }), connector(7, ["*.contoso.com"])])?.id).toBe(7);
    expect(routeRecipientDomain("a.contoso.com", [connector(7, ["*.contoso.com"]), connector(5, ["*.contoso.com"])])?.id).toBe(5);
  });
});

describe("PowerShell for the tenant", () => {
  it("quotes names so $, backticks and quotes stay literal", () => {
    expect(psQuote("To on-premises")).toBe("'To on-premises'");
    expect(psQuote("O'Brien's $env:USERNAME `n")).toBe("'O''Brien''s $env:USERNAME `n'");
    expect(psQuote("curly \u2018x\u2019 \u201a \u201b")).toBe("'curly \u2018\u2018x\u2019\u2019 \u201a\u201a \u201b\u201b'");
    expect(psQuote("';Remove-Item C:\\ -Recurse;'")).toBe("''';Remove-Item C:\\ -Recurse;'''");
  });

  it("Fix now disables the connector and makes its domains Authoritative; Undo reverses it", () => {
    expect(fixNowCommands("To on-prem", ["contoso.se", "fabrikam.se"])).toEqual([
      "Set-OutboundConnector -Identity 'To on-prem' -Enabled $false",
      "Set-AcceptedDomain -Identity 'contoso.se' -DomainType Authoritative",
      "Set-AcceptedDomain -Identity 'fabrikam.se' -DomainType Authoritative",
    ]);
    expect(undoCommands("To on-prem", true, ["contoso.se"])).toEqual([
      "Set-OutboundConnector -Identity 'To on-prem' -Enabled $true",
      "Set-AcceptedDomain -Identity 'contoso.se' -DomainType InternalRelay",
    ]);
    expect(setDomainType("x.se", "ExternalRelay")).toBe("Set-AcceptedDomain -Identity 'x.se' -DomainType ExternalRelay");
  });
});
