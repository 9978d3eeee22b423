import { Resolver } from "node:dns/promises";
import type tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLab, type Fault, type Lab } from "@/tests/lab/lab";
import { SmtpTalk } from "@/tests/lab/smtp-talk";

// The fault lab's self-test: each fault, seen through Node's own net, tls and dns clients, is what
// the lab's README says it is. Every wait is short, so the file stays well under 30 s.

const CONNECT_MS = 1_000;
const REPLY_MS = 1_000;
const SILENCE_MS = 500;

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ expiringInDays: 10 });
});

afterAll(async () => {
  await lab?.stop();
});

describe("the lab's TCP faults", () => {
  it("refuses a connect on the closed port", async () => {
    await expect(SmtpTalk.connect(lab.target("refused"), CONNECT_MS)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("lets a connect to the full backlog neither succeed nor be refused within the timeout", async () => {
    const started = Date.now();
    await expect(SmtpTalk.connect(lab.target("connectTimeout"), CONNECT_MS)).rejects.toMatchObject({ code: "LAB_CONNECT_TIMEOUT" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(CONNECT_MS - 50);
  });

  it("accepts and then never greets", async () => {
    const talk = await SmtpTalk.connect(lab.target("neverGreets"), CONNECT_MS);
    await expect(talk.reply(SILENCE_MS)).rejects.toMatchObject({ code: "LAB_REPLY_TIMEOUT" });
    talk.close();
  });
});

describe("the lab's SMTP faults", () => {
  it("has a healthy server: 220, EHLO with PIPELINING and STARTTLS, a trusted certificate, MAIL and RCPT 250, DATA refused, QUIT 221", async () => {
    const talk = await greeted("healthy");
    const ehlo = await talk.command("EHLO probe.lab.test", REPLY_MS);
    expect(ehlo).toEqual(expect.arrayContaining(["250-PIPELINING", "250-STARTTLS"]));
    expect(await talk.command("STARTTLS", REPLY_MS)).toEqual([expect.stringMatching(/^220 /)]);
    const secured = await talk.startTls(trustingLabCa(), REPLY_MS);
    expect(secured.authorized).toBe(true);
    expect(secured.getPeerCertificate().subjectaltname).toContain("DNS:mail.lab.test");
    expect(await talk.command("EHLO probe.lab.test", REPLY_MS)).not.toContain("250-STARTTLS");
    expect(await talk.command("MAIL FROM:<probe@lab.test>", REPLY_MS)).toEqual([expect.stringMatching(/^250 /)]);
    expect(await talk.command("RCPT TO:<someone@lab.test>", REPLY_MS)).toEqual([expect.stringMatching(/^250 /)]);
    expect(await talk.command("DATA", REPLY_MS)).toEqual([expect.stringMatching(/^554 /)]);
    expect(await talk.command("QUIT", REPLY_MS)).toEqual(["221 2.0.0 Bye"]);
    talk.close();
  });

  it("has a healthy certificate that also names 127.0.0.1, for smart hosts written as an address", async () => {
    const talk = await greeted("healthy");
    await talk.command("EHLO probe.lab.test", REPLY_MS);
    await talk.command("STARTTLS", REPLY_MS);
    expect((await talk.startTls({ ca: [lab.caPem], host: "127.0.0.1" }, REPLY_MS)).authorized).toBe(true);
    talk.close();
  });

  it("refuses in its greeting", async () => {
    const talk = await SmtpTalk.connect(lab.target("greetingRefused"), CONNECT_MS);
    expect(await talk.reply(REPLY_MS)).toEqual([expect.stringMatching(/^554 5\.7\.1 /)]);
    expect(await talk.command("QUIT", REPLY_MS)).toEqual(["221 2.0.0 Bye"]);
    talk.close();
  });

  it("greets with markup", async () => {
    const talk = await SmtpTalk.connect(lab.target("hostileGreeting"), CONNECT_MS);
    expect((await talk.reply(REPLY_MS))[0]).toContain("<script>alert(1)</script>");
    talk.close();
  });

  it("closes the connection right after EHLO", async () => {
    const talk = await greeted("closesAfterEhlo");
    await talk.command("EHLO probe.lab.test", REPLY_MS);
    await expect(talk.command("NOOP", REPLY_MS)).rejects.toMatchObject({ code: expect.stringMatching(/^(LAB_CLOSED|ECONNRESET|EPIPE)$/) });
    talk.close();
  });

  it("does not offer STARTTLS, and refuses it when asked anyway", async () => {
    const talk = await greeted("noStarttls");
    expect(await talk.command("EHLO probe.lab.test", REPLY_MS)).not.toContain("250-STARTTLS");
    expect(await talk.command("STARTTLS", REPLY_MS)).toEqual([expect.stringMatching(/^503 /)]);
    talk.close();
  });

  it("offers STARTTLS and answers it 454", async () => {
    const talk = await greeted("starttlsRefused");
    expect(await talk.command("EHLO probe.lab.test", REPLY_MS)).toContain("250-STARTTLS");
    expect(await talk.command("STARTTLS", REPLY_MS)).toEqual([expect.stringMatching(/^454 4\.7\.0 /)]);
    talk.close();
  });

  it("closes the connection during the TLS handshake", async () => {
    const talk = await greeted("closesInTlsHandshake");
    await talk.command("EHLO probe.lab.test", REPLY_MS);
    expect(await talk.command("STARTTLS", REPLY_MS)).toEqual([expect.stringMatching(/^220 /)]);
    await expect(talk.startTls(trustingLabCa(), REPLY_MS)).rejects.toMatchObject({ code: "ECONNRESET" });
    talk.close();
  });

  it("answers RCPT 450 4.2.0 after a trusted TLS upgrade", async () => {
    const talk = await secured("rcptBusy");
    expect(await talk.command("MAIL FROM:<probe@lab.test>", REPLY_MS)).toEqual([expect.stringMatching(/^250 /)]);
    expect(await talk.command("RCPT TO:<someone@lab.test>", REPLY_MS)).toEqual(["450 4.2.0 Mailbox busy"]);
    talk.close();
  });
});

describe("the lab's certificates, trusting only the lab CA", () => {
  it.each([
    ["certExpired", "CERT_HAS_EXPIRED"],
    ["certSelfSigned", "DEPTH_ZERO_SELF_SIGNED_CERT"],
    ["certWrongName", "ERR_TLS_CERT_ALTNAME_INVALID"],
    ["certUntrustedCa", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"],
  ] as const)("%s fails the handshake with %s", async (fault, code) => {
    await expect(secured(fault)).rejects.toMatchObject({ code });
  });

  it("has a certificate that is valid now and expires within the days asked for", async () => {
    const talk = await secured("certExpiringSoon");
    const expires = new Date(talk.peerCertificate().valid_to).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 9 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 10 * 86_400_000);
    talk.close();
  });
});

describe("the lab's DNS responder", () => {
  const resolver = () => {
    const resolver = new Resolver({ timeout: 300, tries: 1 });
    resolver.setServers([lab.dns.server]);
    return resolver;
  };

  it("answers A, AAAA and MX from its table", async () => {
    await expect(resolver().resolve4("mail.lab.test")).resolves.toEqual(["127.0.0.1"]);
    await expect(resolver().resolve6("mail.lab.test")).resolves.toEqual(["::1"]);
    await expect(resolver().resolveMx("lab.test")).resolves.toEqual([{ priority: 10, exchange: "mail.lab.test" }]);
    lab.dns.set("relay.lab.test", { A: ["127.0.0.2", "127.0.0.3"], AAAA: ["fd00::1:2"] });
    await expect(resolver().resolve4("relay.lab.test")).resolves.toEqual(["127.0.0.2", "127.0.0.3"]);
    await expect(resolver().resolve6("relay.lab.test")).resolves.toEqual(["fd00::1:2"]);
    await expect(resolver().resolveMx("relay.lab.test")).rejects.toMatchObject({ code: "ENODATA" });
  });

  it("gives SERVFAIL, NXDOMAIN and silence on request, and refuses names outside lab.test", async () => {
    lab.dns.set("servfail.lab.test", "servfail");
    lab.dns.set("gone.lab.test", "nxdomain");
    lab.dns.set("silent.lab.test", "silence");
    await expect(resolver().resolve4("servfail.lab.test")).rejects.toMatchObject({ code: "ESERVFAIL" });
    await expect(resolver().resolve4("gone.lab.test")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(resolver().resolve4("unknown.lab.test")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(resolver().resolveMx("silent.lab.test")).rejects.toMatchObject({ code: "ETIMEOUT" });
    expect(lab.dns.queriesFor("silent.lab.test")).toBe(1);
    await expect(resolver().resolve4("example.com")).rejects.toMatchObject({ code: "EREFUSED" });
  });
});

async function greeted(fault: Fault): Promise<SmtpTalk> {
  const talk = await SmtpTalk.connect(lab.target(fault), CONNECT_MS);
  expect(await talk.reply(REPLY_MS)).toEqual([expect.stringMatching(/^220 /)]);
  return talk;
}

/** Greeted, EHLO, STARTTLS and a handshake that trusts only the lab CA. */
async function secured(fault: Fault): Promise<SmtpTalk> {
  const talk = await greeted(fault);
  try {
    await talk.command("EHLO probe.lab.test", REPLY_MS);
    await talk.command("STARTTLS", REPLY_MS);
    await talk.startTls(trustingLabCa(), REPLY_MS);
    await talk.command("EHLO probe.lab.test", REPLY_MS);
    return talk;
  } catch (error) {
    talk.close();
    throw error;
  }
}

function trustingLabCa(): tls.ConnectionOptions {
  return { ca: [lab.caPem], servername: lab.hostName };
}
