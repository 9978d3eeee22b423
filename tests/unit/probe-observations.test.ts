import { describe, expect, it } from "vitest";
import { certificateWarning, observationsOf } from "@/lib/probe/observations";
import type { CertificateInfo, ProbeResult, ProbeStep, TargetResult } from "@/lib/probe/types";

// What one validation tells the alerts: its outcome as a probe event for the fold, and what its
// soonest-expiring certificate means for the certificate warning kept beside the fold.

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

  it("a certificate expiring within warnDays is an expiring observation naming host, certificate and date; the events carry only the outcome", () => {
    const soon = cert(9);
    const { events, certificate, certExpiresAt } = observationsOf(result({ certificates: [soon], targets: [target(PASSED_STEPS, soon)] }), input);
    expect(events.map((e) => [e.status, e.errorCode])).toEqual([["DELIVERED", null]]);
    expect(certificate).toEqual({
      expiring: true,
      host: "mail.lab.test",
      details: `mail.lab.test: certificate CN=mail.lab.test (issued by CN=Mailflow Lab CA) expires ${soon.validTo}, in 9 days`,
      validTo: new Date(soon.validTo),
    });
    expect(certExpiresAt).toEqual(new Date(soon.validTo));
  });

  it("is expiring on exactly warnDays and not a millisecond later", () => {
    expect(observationsOf(result({ certificates: [cert(21)] }), input).certificate).toMatchObject({ expiring: true });
    const justAfter = cert(21, { validTo: new Date(AT.getTime() + 21 * DAY_MS + 1).toISOString() });
    expect(observationsOf(result({ certificates: [justAfter] }), input).certificate).toMatchObject({ expiring: false });
    expect(observationsOf(result({ certificates: [cert(22)] }), input).certificate).toMatchObject({ expiring: false });
  });

  it("the boundary follows warnDays", () => {
    expect(observationsOf(result({ certificates: [cert(30)] }), { ...input, warnDays: 30 }).certificate).toMatchObject({ expiring: true });
    expect(observationsOf(result({ certificates: [cert(9)] }), { ...input, warnDays: 7 }).certificate).toMatchObject({ expiring: false });
  });

  it("a fresh certificate is a not-expiring observation (it ends an earlier warning) without details, and no event", () => {
    const fresh = cert(90);
    const { events, certificate, certExpiresAt } = observationsOf(result({ certificates: [fresh] }), input);
    expect(events.map((e) => [e.status, e.errorCode])).toEqual([["DELIVERED", null]]);
    expect(certificate).toEqual({ expiring: false, host: "mail.lab.test", validTo: new Date(fresh.validTo) });
    expect(certExpiresAt).toEqual(new Date(fresh.validTo));
  });

  it("an expired certificate is expiring, saying it expired; the event is only the failure it causes", () => {
    const expired = cert(-1);
    const failed = result({
      outcome: "failed",
      certificates: [expired],
      targets: [target([ok("resolve"), ok("connect"), { name: "certificate", ok: false, ms: 1, seen: "", error: "certificate has expired" }], expired)],
      classification: { code: "4.7.320", smtp: 450, name: "certificateInvalid", detail: "certificate has expired" },
    });
    const { events, certificate } = observationsOf(failed, input);
    expect(events.map((e) => [e.status, e.errorCode])).toEqual([["DEFERRED", "4.7.320"]]);
    expect(certificate).toEqual({
      expiring: true,
      host: "mail.lab.test",
      details: `mail.lab.test: certificate CN=mail.lab.test (issued by CN=Mailflow Lab CA) expired ${expired.validTo}`,
      validTo: new Date(expired.validTo),
    });
  });

  it("the soonest of several certificates decides; one with an unreadable date is skipped", () => {
    const later = cert(60, { host: "relay1.lab.test" });
    const sooner = cert(5, { host: "relay2.lab.test", subject: "CN=relay2.lab.test" });
    const broken = cert(0, { host: "relay3.lab.test", validTo: "not a date" });
    const { events, certificate, certExpiresAt } = observationsOf(result({ certificates: [later, broken, sooner] }), input);
    expect(events).toHaveLength(1);
    expect(certificate).toMatchObject({ expiring: true, host: "relay2.lab.test", validTo: new Date(sooner.validTo) });
    expect(certificate?.expiring && certificate.details).toContain("CN=relay2.lab.test");
    expect(certExpiresAt).toEqual(new Date(sooner.validTo));
  });

  it("the soonest decides even when it is fresh: one renewed certificate among fresh ones is not expiring", () => {
    const { certificate } = observationsOf(result({ certificates: [cert(90, { host: "relay1.lab.test" }), cert(40, { host: "relay2.lab.test" })] }), input);
    expect(certificate).toEqual({ expiring: false, host: "relay2.lab.test", validTo: new Date(cert(40).validTo) });
  });

  it("only unreadable dates are no observation", () => {
    const { certificate, certExpiresAt } = observationsOf(result({ certificates: [cert(5, { validTo: "not a date" })] }), input);
    expect(certificate).toBeNull();
    expect(certExpiresAt).toBeNull();
  });

  it("without a certificate there is no certificate observation, and the events stay the outcome", () => {
    expect(observationsOf(result(), input)).toMatchObject({ certificate: null, certExpiresAt: null });
    const failed = observationsOf(result(refused), input);
    expect(failed.certificate).toBeNull();
    expect(failed.events.map((e) => [e.status, e.errorCode])).toEqual([["DEFERRED", "4.4.316"]]);
  });

  it("our own safety refusal still reports a certificate seen on another target, with no event", () => {
    const soon = cert(3, { host: "relay1.lab.test" });
    const safety = result({
      outcome: "failed",
      certificates: [soon],
      targets: [
        target(PASSED_STEPS, soon, "relay1.lab.test"),
        target([ok("resolve"), { name: "safety", ok: false, ms: 0, seen: "", error: "169.254.10.1 is link-local" }], null, "linklocal.lab.test"),
      ],
      classification: { code: "unknown", smtp: null, name: "other", detail: "169.254.10.1 is link-local" },
    });
    const { events, certificate } = observationsOf(safety, input);
    expect(events).toEqual([]);
    expect(certificate).toMatchObject({ expiring: true, host: "relay1.lab.test" });
  });
});

describe("certificateWarning", () => {
  it("says one day, not one days", () => {
    expect(certificateWarning(cert(1), AT)).toMatch(/, in 1 day$/);
  });
});
