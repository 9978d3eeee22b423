import { describe, expect, it } from "vitest";
import { parseSmartHost, refusalOf } from "@/lib/probe/address-safety";

describe("parseSmartHost", () => {
  it("takes the port written in the smart host, else 25", () => {
    expect(parseSmartHost("Mail.Contoso.com")).toEqual({ host: "mail.contoso.com", port: 25, literal: false });
    expect(parseSmartHost("mail.contoso.com:2525")).toEqual({ host: "mail.contoso.com", port: 2525, literal: false });
    expect(parseSmartHost("192.0.2.25:587")).toEqual({ host: "192.0.2.25", port: 587, literal: true });
    expect(parseSmartHost("[2001:db8::25]:26")).toEqual({ host: "2001:db8::25", port: 26, literal: true });
    expect(parseSmartHost("[2001:db8::25]")).toEqual({ host: "2001:db8::25", port: 25, literal: true });
  });

  it("refuses what is not a smart host", () => {
    expect(() => parseSmartHost("smtp://mail.contoso.com")).toThrow(/URL/);
  });
});

describe("refusalOf", () => {
  it.each([
    ["169.254.0.1", "link-local"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["::ffff:169.254.3.4", "link-local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["255.255.255.255", "broadcast"],
  ])("refuses %s as %s", (address, reason) => {
    expect(refusalOf(address)).toContain(reason);
  });

  it.each(["127.0.0.1", "192.0.2.25", "::1", "2001:db8::25", "fec0::1"])("allows %s", (address) => {
    expect(refusalOf(address)).toBeNull();
  });
});
