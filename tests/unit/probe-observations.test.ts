import { describe, expect, it } from "vitest";
import { CERT_EXPIRY_CODE } from "@/lib/grouping/event";
import { certificateWarning, observationsOf } from "@/lib/probe/observations";
import type { CertificateInfo, ProbeResult, ProbeStep, TargetResult } from "@/lib/probe/types";

// What one validation tells the alerts: its outcome and its certificates' expiry as probe events.

const AT = new Date("2026-12-01T12:00:00.000Z");
const DAY_MS = 86_400_000;
const input = { id: "run-1", at: AT, warnDays: 21 };

const ok = (name: ProbeStep["name"]): ProbeStep => ({ name, ok: true, ms: 3, seen: "" });
const PASSED_STEPS = ["resolve", "connect", "greeting", "ehlo", "starttls", "tls", "certificate", "ehlo", "quit"].map((n) => ok(n as ProbeStep["name"]));

function cert(inDays: number, over: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    host: "mail.lab.test",
    subject: "CN=mail.lab.test",
    names: ["DNS:mail.lab.test"],
    issuer: "CN=Mailflow Lab CA",
    validFrom: new Date(AT.getTime() - 30 * DAY_MS).toISOString(),
    validTo: new Date(AT.getTime() + inDays * DAY_MS).toISOString(),
    tlsVersion: "TLSv1.3",
    cipher: "TLS_AES_256_GCM_SHA384",
    ...over,
  };
}

function target(steps: ProbeStep[], certificate: CertificateInfo | null = null, host = "mail.lab.test"): TargetResult {
  return { host, address: "127.0.0.1", port: 25, steps, certificate };
}

function result(over: Partial<ProbeResult> = {}): ProbeResult {
  return { targets: [target(PASSED_STEPS)], outcome: "passed", classification: null, certificates: [], durationMs: 40, ...over };
}

const refused: Partial<ProbeResult> = {
  outcome: "failed",
  targets: [target([ok("resolve"), { name: "connect", ok: false, ms: 1, seen: "", error: "connect ECONNREFUSED 127.0.0.1:25" }])],
  classification: { code: "4.4.316", smtp: 450, name: "connectionRefused", detail: "Connection refused" },
};

describe("observationsOf", () => {
  it("a pass is one DELIVERED probe event without a code, stamped with the run", () => {
    const { events, certExpiresAt } = observationsOf(result(), input);
    expect(events).toEqual([{
      clientId: null, occurredAt: AT, messageId: "probe:run-1", sender: null, recipient: null, recipientDomain: null,
      status: "DELIVERED", smtpStatus: null, errorCode: null, errorDetails: null, destination: null, probe: true,
    }]);
    expect(certExpiresAt).toBeNull();
  });

  it("a failure is a DEFERRED probe event of the classified code, with the failing step, the classification's words and the target", () => {
    const { events } = observationsOf(result(refused), input);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      probe: true, status: "DEFERRED", smtpStatus: 450, errorCode: "4.4.316", recipient: null,
      errorDetails: "Validate connector, connect step: Connection refused", destination: "mail.lab.test:25",
    });
  });

  it("a failure on a later target names that target", () => {
    const second = target([ok("resolve"), { name: "greeting", ok: false, ms: 1, seen: "554 go away", error: "554 go away" }], null, "relay2.lab.test");
    const classification = { code: "4.4.317", smtp: 450, name: "cannotConnect" as const, detail: "The greeting was a refusal: 554 go away" };
    const { events } = observationsOf(result({ outcome: "failed", classification, targets: [target(PASSED_STEPS), second] }), input);
    expect(events[0]).toMatchObject({ errorCode: "4.4.317", destination: "relay2.lab.test:25", errorDetails: "Validate connector, greeting step: The greeting was a refusal: 554 go away" });
  });

  it("a failure without a failing step keeps the classification's words", () => {
    const { events } = observationsOf(result({ ...refused, targets: [] }), input);
    expect(events[0]).toMatchObject({ errorCode: "4.4.316", errorDetails: "Validate connector, Connection refused", destination: null });
  });

  it("our own safety refusal says nothing about the server: no outcome event", () => {
    const safety = result({
      outcome: "failed",
      targets: [target([ok("resolve"), { name: "safety", ok: false, ms: 0, seen: "", error: "169.254.10.1 is link-local" }], null, "linklocal.lab.test")],
      classification: { code: "unknown", smtp: null, name: "other", detail: "169.254.10.1 is link-local" },
    });
    expect(observationsOf(safety, input).events).toEqual([]);
  });

  it("a certificate expiring within warnDays adds a cert-expiry warning naming host, certificate and date", () => {
    const soon = cert(9);
    const { events, certExpiresAt } = observationsOf(result({ certificates: [soon], targets: [target(PASSED_STEPS, soon)] }), input);
    expect(events.map((e) => [e.status, e.errorCode])).toEqual([["DELIVERED", null], ["DEFERRED", CERT_EXPIRY_CODE]]);
    const warning = events[1]!;
    expect(warning).toMatchObject({ probe: true, destination: "mail.lab.test", occurredAt: AT, messageId: "probe:run-1" });
    expect(warning.errorDetails).toBe(`mail.lab.test: certificate CN=mail.lab.test (issued by CN=Mailflow Lab CA) expires ${soon.validTo}, in 9 days`);
    expect(certExpiresAt).toEqual(new Date(soon.validTo));
  });

  it("warns on exactly warnDays and not a day later", () => {
    expect(observationsOf(result({ certificates: [cert(21)] }), input).events[1]).toMatchObject({ status: "DEFERRED", errorCode: CERT_EXPIRY_CODE });
    expect(observationsOf(result({ certificates: [cert(22)] }), input).events[1]).toMatchObject({ status: "DELIVERED", errorCode: CERT_EXPIRY_CODE });
  });

  it("a fresh certificate is a cert-expiry pass (it ends an earlier warning)", () => {
    const fresh = cert(90);
    const { events, certExpiresAt } = observationsOf(result({ certificates: [fresh] }), input);
    expect(events[1]).toEqual(expect.objectContaining({ status: "DELIVERED", errorCode: CERT_EXPIRY_CODE, errorDetails: null, destination: "mail.lab.test", probe: true }));
    expect(certExpiresAt).toEqual(new Date(fresh.validTo));
  });

  it("an expired certificate is a warning saying it expired, beside the failure it causes", () => {
    const expired = cert(-1);
    const failed = result({
      outcome: "failed",
      certificates: [expired],
      targets: [target([ok("resolve"), ok("connect"), { name: "certificate", ok: false, ms: 1, seen: "", error: "certificate has expired" }], expired)],
      classification: { code: "4.7.320", smtp: 450, name: "certificateInvalid", detail: "certificate has expired" },
    });
    const { events } = observationsOf(failed, input);
    expect(events.map((e) => [e.status, e.errorCode])).toEqual([["DEFERRED", "4.7.320"], ["DEFERRED", CERT_EXPIRY_CODE]]);
    expect(events[1]?.errorDetails).toBe(`mail.lab.test: certificate CN=mail.lab.test (issued by CN=Mailflow Lab CA) expired ${expired.validTo}`);
  });

  it("the soonest of several certificates decides; one with an unreadable date is skipped", () => {
    const later = cert(60, { host: "relay1.lab.test" });
    const sooner = cert(5, { host: "relay2.lab.test", subject: "CN=relay2.lab.test" });
    const broken = cert(0, { host: "relay3.lab.test", validTo: "not a date" });
    const { events, certExpiresAt } = observationsOf(result({ certificates: [later, broken, sooner] }), input);
    expect(events[1]).toMatchObject({ status: "DEFERRED", destination: "relay2.lab.test" });
    expect(events[1]?.errorDetails).toContain("CN=relay2.lab.test");
    expect(certExpiresAt).toEqual(new Date(sooner.validTo));
  });

  it("without a certificate there is no cert-expiry event", () => {
    expect(observationsOf(result(), input).events.some((e) => e.errorCode === CERT_EXPIRY_CODE)).toBe(false);
    expect(observationsOf(result(refused), input).events.some((e) => e.errorCode === CERT_EXPIRY_CODE)).toBe(false);
  });
});

describe("certificateWarning", () => {
  it("says one day, not one days", () => {
    expect(certificateWarning(cert(1), AT)).toMatch(/, in 1 day$/);
  });
});
