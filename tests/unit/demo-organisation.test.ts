import { describe, expect, it } from "vitest";
import { DEMO_CONNECTORS, DEMO_DOMAINS, DEMO_RECIPIENTS, DEMO_SMART_HOST_IPS, demoConnector } from "@/lib/demo/organisation";
import { DAY, HOUR, demoStories, morningOutageStart } from "@/lib/demo/stories";

describe("demo organisation", () => {
  it("has one on-premises connector and three partners with unique names the source allows", () => {
    expect(DEMO_CONNECTORS.filter((c) => c.kind === "ON_PREMISES").map((c) => c.name)).toEqual(["To on-premises Exchange"]);
    expect(DEMO_CONNECTORS.filter((c) => c.kind === "PARTNER")).toHaveLength(3);
    expect(new Set(DEMO_CONNECTORS.map((c) => c.name)).size).toBe(DEMO_CONNECTORS.length);
    for (const c of DEMO_CONNECTORS) {
      expect(c.name.length).toBeLessThanOrEqual(64);
      expect(c.smartHosts.length).toBeGreaterThan(0);
      for (const host of c.smartHosts) expect(DEMO_SMART_HOST_IPS[host]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
  });

  it("covers certificate and domain validation, with a TLS domain only where it is used", () => {
    const modes = DEMO_CONNECTORS.map((c) => c.tlsMode);
    expect(modes).toContain("CERTIFICATE_VALIDATION");
    expect(modes).toContain("DOMAIN_VALIDATION");
    for (const c of DEMO_CONNECTORS) expect(Boolean(c.tlsDomain)).toBe(c.tlsMode === "DOMAIN_VALIDATION");
  });

  it("relays the Internal relay domains through the on-premises connector and names no connector for Authoritative ones", () => {
    const internal = DEMO_DOMAINS.filter((d) => d.type === "INTERNAL_RELAY");
    expect(internal.map((d) => d.name)).toEqual(["contoso-nordic.se", "corp.contoso-nordic.se"]);
    expect(internal.every((d) => d.connector === "onPremises")).toBe(true);
    expect(DEMO_DOMAINS.filter((d) => d.type === "EXTERNAL_RELAY")).toHaveLength(1);
    expect(DEMO_DOMAINS.filter((d) => d.type === "AUTHORITATIVE").every((d) => !d.connector)).toBe(true);
  });

  it("sends each connector's mail to the domains the connector serves", () => {
    for (const c of DEMO_CONNECTORS) {
      for (const r of DEMO_RECIPIENTS[c.key]) expect(c.recipientDomains).toContain(r.split("@")[1]);
    }
    expect(demoConnector("onPremises").recipientDomains).toEqual(["contoso-nordic.se", "corp.contoso-nordic.se"]);
  });
});

describe("demo stories", () => {
  it("starts the DNS outage at 06:30 Stockholm time when the morning is long enough past", () => {
    const now = Date.parse("2026-11-27T13:00:00Z");
    expect(new Date(morningOutageStart(now)).toISOString()).toBe("2026-11-27T05:30:00.000Z");
    const night = Date.parse("2026-11-27T01:00:00Z");
    expect(new Date(morningOutageStart(night)).toISOString()).toBe("2026-11-26T05:30:00.000Z");
    const tooEarly = Date.parse("2026-11-27T08:00:00Z");
    expect(morningOutageStart(tooEarly)).toBe(tooEarly - 12 * HOUR);
  });

  it("places every story inside the last day, recovered ones before now", () => {
    const now = Date.parse("2026-11-27T12:30:00Z");
    for (const s of demoStories(now)) {
      expect(s.from).toBeGreaterThan(now - DAY);
      expect(s.to).toBeLessThanOrEqual(now);
      expect(s.from).toBeLessThan(s.to);
      if (s.recoversAt !== null) expect(s.recoversAt).toBeLessThan(now - HOUR);
    }
  });
});
