import { describe, expect, it } from "vitest";
import { classify } from "@/lib/classify/classify";
import { classifyPostfixReason, readPostfixReason } from "@/lib/classify/postfix";

// Postfix's other look-up failures (src/dns/dns_lookup.c, src/smtp/smtp_addr.c): the DNS look-up
// of the target failed, so 4.4.312 like `Host or domain name not found`, whatever dsn= Postfix gives.
describe("classifyPostfixReason: the look-up failures beside `Host or domain name not found`", () => {
  it.each([
    ["unable to look up host mail.contoso.se: Name or service not known", "4.4.4", "DNS look-up of mail.contoso.se failed: the name does not exist (NXDOMAIN)"],
    ["unable to look up host mail.contoso.se: Temporary failure in name resolution", "4.4.4", "DNS look-up of mail.contoso.se failed: the name servers failed to answer (SERVFAIL)"],
    ["unable to look up host mail.contoso.se: No address associated with hostname", "4.4.4", "DNS look-up of mail.contoso.se failed: the name has no address records (NODATA)"],
    ["Name service error for name=contoso.se type=MX: Malformed or unexpected name server reply", "4.4.3", "DNS look-up of contoso.se failed: Malformed or unexpected name server reply"],
    ["Name service error for 192.0.2.10: invalid host or domain name", "5.4.4", "DNS look-up of 192.0.2.10 failed: invalid host or domain name"],
  ])("%s → 4.4.312", (reason, dsn, seen) => {
    expect(classifyPostfixReason(reason, dsn)).toEqual({ code: "4.4.312", smtp: 450, name: "dnsQueryFailed", detail: reason });
    expect(classify(readPostfixReason(reason))?.detail).toBe(seen);
  });

  it("`Host or domain name not found. Name service error …` is still read by its own rule", () => {
    const reason = "Host or domain name not found. Name service error for name=contoso.se type=MX: Host not found, try again";
    expect(readPostfixReason(reason)).toEqual({ kind: "dns", error: "SERVFAIL", name: "contoso.se" });
  });
});
