import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeConnector } from "@/lib/probe/probe";
import type { ProbeOptions, ProbeResult, ProbeStep, ProbeTarget } from "@/lib/probe/types";
import { startLab, type Fault, type Lab } from "@/tests/lab/lab";

// The probe against the fault lab on loopback: each fault is classified as tests/lab/README.md's
// table says. The resolver is always the lab's responder and every wait is short, so the file stays
// well under 30 s and no traffic leaves the machine.

const SHORT = { dnsMs: 400, connectMs: 1_000, greetingMs: 500, replyMs: 1_000, tlsMs: 1_000, overallMs: 5_000 } as const;

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    dns: {
      "broken.lab.test": "servfail",
      "gone.lab.test": "nxdomain",
      "quiet.lab.test": "silence",
      "linklocal.lab.test": { A: ["169.254.10.1"] },
      "multicast.lab.test": { AAAA: ["ff02::1"] },
      "bad-mx.lab.test": "servfail",
    },
  });
});

afterAll(async () => {
  await lab?.stop();
});

describe("the probe against the lab's faults", () => {
  it("passes a healthy server and records the conversation and the certificate", async () => {
    const live: ProbeStep[] = [];
    const result = await probe("healthy", "DOMAIN_VALIDATION", { recipient: "someone@lab.test", sender: "probe@lab.test", onStep: (_, step) => live.push(step) });
    expect(result.outcome).toBe("passed");
    expect(result.classification).toBeNull();
    const steps = stepsOf(result);
    expect(steps.map((step) => step.name)).toEqual(["resolve", "connect", "greeting", "ehlo", "starttls", "tls", "certificate", "ehlo", "mail", "rcpt", "quit"]);
    expect(steps.every((step) => step.ok && step.ms >= 0)).toBe(true);
    expect(live).toEqual(steps);
    expect(steps[3]?.seen).toContain("250-STARTTLS");
    const [certificate] = result.certificates;
    expect(certificate?.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(certificate?.cipher).not.toBe("");
    expect(certificate?.subject).toContain("CN=healthy.lab.test");
    expect(certificate?.names).toContain("DNS:mail.lab.test");
    expect(certificate?.issuer).toContain("Mailflow Lab CA");
    expect(Date.parse(certificate?.validTo ?? "")).toBeGreaterThan(Date.now());
    expect(result.durationMs).toBeLessThan(SHORT.overallMs);
  });

  it.each<[Fault, string, ProbeTarget["tlsMode"], string]>([
    ["refused", "connect", "OPPORTUNISTIC", "4.4.316"],
    ["connectTimeout", "connect", "OPPORTUNISTIC", "4.4.315"],
    ["neverGreets", "greeting", "OPPORTUNISTIC", "4.4.318"],
    ["closesAfterEhlo", "starttls", "OPPORTUNISTIC", "4.4.318"],
    ["closesInTlsHandshake", "tls", "ENCRYPTION_ONLY", "4.4.317"],
    ["noStarttls", "starttls", "ENCRYPTION_ONLY", "4.4.317"],
    ["starttlsRefused", "starttls", "CERTIFICATE_VALIDATION", "4.4.317"],
    ["greetingRefused", "greeting", "OPPORTUNISTIC", "4.4.317"],
    ["certExpired", "certificate", "CERTIFICATE_VALIDATION", "4.7.320"],
    ["certSelfSigned", "certificate", "CERTIFICATE_VALIDATION", "4.7.320"],
    ["certWrongName", "certificate", "DOMAIN_VALIDATION", "4.7.320"],
    ["certUntrustedCa", "certificate", "DOMAIN_VALIDATION", "4.7.320"],
  ])("classifies %s at the %s step (%s) as %s", async (fault, step, tlsMode, code) => {
    const result = await probe(fault, tlsMode);
    expect(result.outcome).toBe("failed");
    expect(result.classification?.code).toBe(code);
    expect(stepsOf(result).at(-1)).toMatchObject({ name: step, ok: false });
  });

  it("waits no longer than the connect timeout for the full backlog", async () => {
    const result = await probe("connectTimeout", "OPPORTUNISTIC");
    const connect = stepsOf(result).at(-1);
    expect(connect?.ms).toBeGreaterThanOrEqual(SHORT.connectMs - 50);
    expect(connect?.ms).toBeLessThan(SHORT.connectMs + 500);
  });

  it.each<Fault>(["certExpired", "certSelfSigned", "certWrongName", "certUntrustedCa"])("passes %s under encryption only, reporting what the check found", async (fault) => {
    const result = await probe(fault, "ENCRYPTION_ONLY");
    expect(result.outcome).toBe("passed");
    expect(stepsOf(result).find((step) => step.name === "certificate")?.seen).toMatch(/not validated \((CERT_|DEPTH_ZERO|UNABLE_TO|ERR_TLS)/);
  });

  it("passes a server without STARTTLS when TLS is opportunistic, in clear", async () => {
    const result = await probe("noStarttls", "OPPORTUNISTIC");
    expect(result.outcome).toBe("passed");
    expect(result.certificates).toEqual([]);
    expect(stepsOf(result).find((step) => step.name === "starttls")?.seen).toContain("continuing without TLS");
  });

  it("gives a refused RCPT the server's own code", async () => {
    const result = await probe("rcptBusy", "CERTIFICATE_VALIDATION", { recipient: "someone@lab.test" });
    expect(result.classification).toMatchObject({ code: "4.2.0", smtp: 450, name: "other" });
    expect(stepsOf(result).at(-1)).toMatchObject({ name: "rcpt", ok: false, seen: "450 4.2.0 Mailbox busy" });
  });

  it("judges the validity dates by the clock it is given", async () => {
    const later = new Date(lab.certificates.expiringSoonAt.getTime() + 86_400_000);
    const result = await probe("certExpiringSoon", "CERTIFICATE_VALIDATION", { now: () => later });
    expect(result.classification?.code).toBe("4.7.320");
    expect(result.classification?.detail).toContain("CERT_HAS_EXPIRED");
    const today = await probe("certExpiringSoon", "CERTIFICATE_VALIDATION");
    expect(today.outcome).toBe("passed");
    expect(Date.parse(today.certificates[0]?.validTo ?? "")).toBeCloseTo(lab.certificates.expiringSoonAt.getTime(), -4);
  });

  it("records a hostile greeting as the plain text the server sent", async () => {
    const result = await probe("hostileGreeting", "OPPORTUNISTIC");
    expect(result.outcome).toBe("passed");
    expect(stepsOf(result).find((step) => step.name === "greeting")?.seen).toBe("220 mail.lab.test <script>alert(1)</script> ESMTP");
  });
});

describe("the probe's look-ups through the lab's DNS", () => {
  it.each(["broken.lab.test", "gone.lab.test", "quiet.lab.test"])("classifies a failed look-up of %s as 4.4.312", async (name) => {
    const port = lab.target("healthy").port;
    const result = await probeConnector(smartHost(`${name}:${port}`, "OPPORTUNISTIC"), options());
    expect(result.classification?.code).toBe("4.4.312");
    expect(stepsOf(result)).toEqual([expect.objectContaining({ name: "resolve", ok: false })]);
    expect(lab.dns.queriesFor(name)).toBeGreaterThan(0);
  });

  it("resolves a smart host's name and honours its port", async () => {
    const { port } = lab.target("healthy");
    const result = await probeConnector(smartHost(`${lab.hostName}:${port}`, "CERTIFICATE_VALIDATION"), options());
    expect(result.outcome).toBe("passed");
    expect(result.targets[0]).toMatchObject({ host: lab.hostName, address: "127.0.0.1", port });
  });

  it("routes by MX through the lab's DNS, to port 25", async () => {
    const result = await probeConnector({ useMxRecord: true, smartHosts: [], recipientDomain: "lab.test", tlsMode: "OPPORTUNISTIC" }, options({ timeouts: { ...SHORT, connectMs: 300 } }));
    expect(result.targets[0]).toMatchObject({ host: lab.hostName, address: "127.0.0.1", port: 25 });
    expect(stepsOf(result)[0]).toMatchObject({ name: "resolve", ok: true, seen: expect.stringContaining("MX 10 of lab.test") });
  });

  it("classifies a failed MX look-up as 4.4.312", async () => {
    const result = await probeConnector({ useMxRecord: true, smartHosts: [], recipientDomain: "bad-mx.lab.test", tlsMode: "OPPORTUNISTIC" }, options());
    expect(result.classification?.code).toBe("4.4.312");
    expect(result.targets[0]).toMatchObject({ host: "bad-mx.lab.test", address: null });
  });
});

describe("the probe's safety", () => {
  it.each([
    ["169.254.1.1", "link-local"],
    ["[fe80::1]", "link-local"],
    ["224.0.0.5", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["[::]", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["[::ffff:169.254.1.1]", "link-local"],
    ["linklocal.lab.test", "link-local"],
    ["multicast.lab.test", "multicast"],
  ])("refuses %s (%s) without connecting", async (host, reason) => {
    const connects: unknown[] = [];
    const original = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: Parameters<typeof original>) {
      connects.push(args[0]);
      return original.apply(this, args);
    } as typeof original;
    try {
      const result = await probeConnector(smartHost(host, "OPPORTUNISTIC"), options());
      expect(result.outcome).toBe("failed");
      expect(stepsOf(result).at(-1)).toMatchObject({ name: "safety", ok: false, error: expect.stringContaining(reason) });
      expect(stepsOf(result).map((step) => step.name)).not.toContain("connect");
    } finally {
      net.Socket.prototype.connect = original;
    }
    expect(connects).toEqual([]);
  });

  it("refuses addresses that would end an SMTP command", async () => {
    await expect(probe("healthy", "OPPORTUNISTIC", { recipient: "a@b.test>\r\nDATA" })).rejects.toThrow(/not an email address/);
  });
});

describe("the probe's time limits", () => {
  it("keeps to the whole validation's cap even when a step's own timeout is longer", async () => {
    const started = Date.now();
    const result = await probe("neverGreets", "OPPORTUNISTIC", { timeouts: { ...SHORT, greetingMs: 15_000, overallMs: 600 } });
    expect(Date.now() - started).toBeLessThan(1_100);
    expect(result.classification?.code).toBe("4.4.318");
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it("honours the greeting timeout it is given", async () => {
    const result = await probe("neverGreets", "OPPORTUNISTIC", { timeouts: { ...SHORT, greetingMs: 300 } });
    const greeting = stepsOf(result).at(-1);
    expect(greeting).toMatchObject({ name: "greeting", ok: false });
    expect(greeting?.ms).toBeGreaterThanOrEqual(250);
    expect(greeting?.ms).toBeLessThan(800);
  });
});

function probe(fault: Fault, tlsMode: ProbeTarget["tlsMode"], extra: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  return probeConnector(smartHost(lab.address(fault), tlsMode, tlsMode === "DOMAIN_VALIDATION" ? lab.hostName : null), options(extra));
}

function smartHost(host: string, tlsMode: ProbeTarget["tlsMode"], tlsDomain: string | null = null): ProbeTarget {
  return { useMxRecord: false, smartHosts: [host], tlsMode, tlsDomain };
}

function options(extra: Partial<ProbeOptions> = {}): ProbeOptions {
  return { resolver: [lab.dns.server], trustedCa: [lab.caPem], ehloName: "probe.lab.test", timeouts: SHORT, ...extra };
}

function stepsOf(result: ProbeResult): readonly ProbeStep[] {
  return result.targets.flatMap((target) => target.steps);
}
