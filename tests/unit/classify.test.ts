import { describe, expect, it } from "vitest";
import { classify } from "@/lib/classify/classify";
import type { Observation } from "@/lib/classify/observation";

function codeOf(observation: Observation): string | null {
  return classify(observation)?.code ?? null;
}

describe("classify: the DNS look-up fails → 450 4.4.312", () => {
  it.each(["NXDOMAIN", "SERVFAIL", "NODATA", "TIMEOUT", "ENOTFOUND", "ESERVFAIL", "ENODATA", "ETIMEOUT", "EREFUSED", "ESOMETHINGNEW"])("%s", (error) => {
    expect(classify({ kind: "dns", error, name: "mail.contoso.se" })).toMatchObject({ code: "4.4.312", smtp: 450, name: "dnsQueryFailed" });
  });

  it("names the host and the error in the detail", () => {
    expect(classify({ kind: "dns", error: "ENOTFOUND", name: "mail.contoso.se" })?.detail).toBe("DNS look-up of mail.contoso.se failed: the name does not exist (ENOTFOUND)");
  });
});

describe("classify: the TCP connect", () => {
  it("refused → 450 4.4.316", () => {
    expect(classify({ kind: "connect", error: "ECONNREFUSED", address: "203.0.113.25:25" })).toEqual({
      code: "4.4.316",
      smtp: 450,
      name: "connectionRefused",
      detail: "connection to 203.0.113.25:25 refused (ECONNREFUSED)",
    });
  });

  it.each(["ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN"])("%s (timed out, no route, unreachable) → 450 4.4.315", (error) => {
    expect(classify({ kind: "connect", error })).toMatchObject({ code: "4.4.315", smtp: 450, name: "connectionTimedOut" });
  });

  it("reset by the peer right after the handshake → 450 4.4.318 (connected, then lost)", () => {
    expect(codeOf({ kind: "connect", error: "ECONNRESET" })).toBe("4.4.318");
  });

  it.each(["EWHATEVER", "", "constructor", "toString"])("an unknown errno %j → 450 4.4.315 (no connection could be made), never a throw", (error) => {
    expect(classify({ kind: "connect", error })).toMatchObject({ code: "4.4.315", name: "connectionTimedOut" });
  });
});

describe("classify: the greeting", () => {
  it.each([421, 450, 554])("a %d refusal → 450 4.4.317", (code) => {
    expect(classify({ kind: "greeting", reply: { code, text: "mail.contoso.se Service not available" } })).toMatchObject({
      code: "4.4.317",
      smtp: 450,
      name: "cannotConnect",
      detail: `the server refused the session: ${code} mail.contoso.se Service not available`,
    });
  });

  it.each(["timeout", "closed"] as const)("%s before any greeting → 450 4.4.318", (reply) => {
    expect(classify({ kind: "greeting", reply })).toMatchObject({ code: "4.4.318", name: "connectionClosed" });
  });

  it("a 220 greeting is no failure", () => {
    expect(classify({ kind: "greeting", reply: { code: 220, text: "mail.contoso.se ESMTP" } })).toBeNull();
  });
});

describe("classify: STARTTLS", () => {
  it("required and not offered → 450 4.4.317", () => {
    expect(codeOf({ kind: "starttls", outcome: "not-offered", required: true })).toBe("4.4.317");
  });

  it("required and refused → 450 4.4.317", () => {
    expect(codeOf({ kind: "starttls", outcome: { code: 454, text: "4.7.0 TLS not available due to local problem" }, required: true })).toBe("4.4.317");
  });

  it("optional: missing or refused is no failure", () => {
    expect(classify({ kind: "starttls", outcome: "not-offered", required: false })).toBeNull();
    expect(classify({ kind: "starttls", outcome: { code: 454, text: "4.7.0 TLS not available" }, required: false })).toBeNull();
  });

  it("220 Ready to start TLS is no failure", () => {
    expect(classify({ kind: "starttls", outcome: { code: 220, text: "2.0.0 Ready to start TLS" }, required: true })).toBeNull();
  });
});

describe("classify: the TLS handshake fails → 450 4.4.317", () => {
  it.each([
    "ECONNRESET",
    "Client network socket disconnected before secure TLS connection was established",
    "ERR_SSL_WRONG_VERSION_NUMBER",
    "ERR_SSL_NO_SHARED_CIPHER",
    "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
    "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
    "ERR_SOMETHING_NEW",
  ])("%s", (error) => {
    expect(classify({ kind: "tls-handshake", error })).toMatchObject({ code: "4.4.317", name: "cannotConnect" });
  });

  it("a verification error raised by the handshake itself (rejectUnauthorized) → 450 4.7.320", () => {
    expect(codeOf({ kind: "tls-handshake", error: "CERT_HAS_EXPIRED" })).toBe("4.7.320");
  });
});

describe("classify: certificate verification", () => {
  const errors = [
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "SOME_FUTURE_X509_ERROR",
  ];

  it.each(errors)("%s where the TLS setting requires validation → 450 4.7.320", (error) => {
    expect(classify({ kind: "certificate", error, validationRequired: true })).toMatchObject({ code: "4.7.320", smtp: 450, name: "certificateInvalid" });
  });

  it.each(errors)("%s with encryption only → no failure", (error) => {
    expect(classify({ kind: "certificate", error, validationRequired: false })).toBeNull();
  });

  it("says which check failed", () => {
    expect(classify({ kind: "certificate", error: "ERR_TLS_CERT_ALTNAME_INVALID", validationRequired: true })?.detail).toBe(
      "certificate validation failed: the certificate is for another name (ERR_TLS_CERT_ALTNAME_INVALID)",
    );
  });
});

describe("classify: connected, then lost → 450 4.4.318", () => {
  it.each(["greeting", "ehlo", "starttls", "mail", "rcpt", "data", "quit", "unknown"] as const)("during %s", (during) => {
    expect(codeOf({ kind: "lost", during, reason: "closed" })).toBe("4.4.318");
    expect(codeOf({ kind: "lost", during, reason: "timeout" })).toBe("4.4.318");
  });

  it("says what happened and when", () => {
    expect(classify({ kind: "lost", during: "rcpt", reason: "timeout" })?.detail).toBe("the server stopped answering during RCPT");
  });
});

describe("classify: the server refuses MAIL, RCPT or DATA → its own code (other)", () => {
  it("takes the enhanced code from the reply's text", () => {
    expect(classify({ kind: "reply", stage: "rcpt", reply: { code: 550, text: "5.1.1 <ann@contoso.se>: Recipient address rejected: User unknown" } })).toEqual({
      code: "5.1.1",
      smtp: 550,
      name: "other",
      detail: "550 5.1.1 <ann@contoso.se>: Recipient address rejected: User unknown (in reply to RCPT)",
    });
  });

  it("a 4xx keeps its code too", () => {
    expect(classify({ kind: "reply", stage: "mail", reply: { code: 451, text: "4.7.1 Greylisted, try again later" } })).toMatchObject({ code: "4.7.1", smtp: 451, name: "other" });
  });

  it("a reply without an enhanced code gets its class's X.0.0 and keeps the basic code", () => {
    expect(classify({ kind: "reply", stage: "data", reply: { code: 554, text: "Transaction failed" } })).toMatchObject({ code: "5.0.0", smtp: 554, name: "other" });
  });

  it("a 2xx or 3xx is no failure", () => {
    expect(classify({ kind: "reply", stage: "rcpt", reply: { code: 250, text: "2.1.5 Ok" } })).toBeNull();
    expect(classify({ kind: "reply", stage: "data", reply: { code: 354, text: "End data with <CR><LF>.<CR><LF>" } })).toBeNull();
  });
});

describe("classify: codes given by the source and unknown texts", () => {
  it("keeps a reported code as given", () => {
    expect(classify({ kind: "reported", smtp: 450, code: "4.4.317", text: "Cannot connect to remote server" })).toEqual({
      code: "4.4.317",
      smtp: 450,
      name: "cannotConnect",
      detail: "Cannot connect to remote server",
    });
  });

  it("an unrecognised text is `unknown` (or the caller's code), named other", () => {
    expect(classify({ kind: "unrecognised", text: "something odd" })).toEqual({ code: "unknown", smtp: null, name: "other", detail: "something odd" });
    expect(classify({ kind: "unrecognised", text: "something odd", code: "4.4.1" })).toMatchObject({ code: "4.4.1", name: "other" });
  });
});
