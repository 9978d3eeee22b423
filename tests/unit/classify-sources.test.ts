import { describe, expect, it } from "vitest";
import { classifyExchangeDetail } from "@/lib/classify/exchange";
import { classifyPostfixReason } from "@/lib/classify/postfix";

const HOST = "mail.contoso.se[203.0.113.25]";

describe("classifyPostfixReason: every reason text DOMAIN.md lists", () => {
  it.each([
    [`connect to ${HOST}:25: Connection refused`, "4.4.316", "connectionRefused"],
    [`connect to ${HOST}:25: Connection timed out`, "4.4.315", "connectionTimedOut"],
    [`connect to ${HOST}:25: No route to host`, "4.4.315", "connectionTimedOut"],
    [`connect to ${HOST}:25: Network is unreachable`, "4.4.315", "connectionTimedOut"],
    ["Host or domain name not found. Name service error for name=mail.contoso.se type=A: Host not found", "4.4.312", "dnsQueryFailed"],
    ["Host or domain name not found. Name service error for name=contoso.se type=MX: Host not found, try again", "4.4.312", "dnsQueryFailed"],
    ["Host or domain name not found. Name service error for name=mail.contoso.se type=AAAA: Host found but no data record of requested type", "4.4.312", "dnsQueryFailed"],
    ["mail.contoso.se: host not found", "4.4.312", "dnsQueryFailed"],
    [`host ${HOST} refused to talk to me: 421 4.3.2 Service not available, closing transmission channel`, "4.4.317", "cannotConnect"],
    [`host ${HOST} refused to talk to me: 554 5.7.1 No SMTP service here`, "4.4.317", "cannotConnect"],
    ["Cannot start TLS: handshake failure", "4.4.317", "cannotConnect"],
    [`TLS is required, but was not offered by host ${HOST}`, "4.4.317", "cannotConnect"],
    [`TLS is required, but host ${HOST} refused to start TLS: 454 4.7.0 TLS not available due to local problem`, "4.4.317", "cannotConnect"],
    [`lost connection with ${HOST} while receiving the initial server greeting`, "4.4.318", "connectionClosed"],
    [`lost connection with ${HOST} while performing the EHLO handshake`, "4.4.318", "connectionClosed"],
    [`lost connection with ${HOST} while sending RCPT TO`, "4.4.318", "connectionClosed"],
    [`lost connection with ${HOST} while sending end of data -- message may be sent more than once`, "4.4.318", "connectionClosed"],
    [`conversation with ${HOST} timed out while receiving the initial server greeting`, "4.4.318", "connectionClosed"],
    [`conversation with ${HOST} timed out while sending MAIL FROM`, "4.4.318", "connectionClosed"],
    ["Server certificate not verified", "4.7.320", "certificateInvalid"],
  ])("%s → %s", (reason, code, name) => {
    expect(classifyPostfixReason(reason, "4.4.1")).toEqual({ code, smtp: 450, name, detail: reason });
  });

  it.each([
    [`host ${HOST} said: 550 5.1.1 <ann@contoso.se>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)`, "5.1.1", 550],
    [`host ${HOST} said: 450 4.2.0 <ann@contoso.se>: Recipient address rejected: Greylisted (in reply to RCPT TO command)`, "4.2.0", 450],
    [`host ${HOST} said: 452 4.3.1 Insufficient system storage (in reply to MAIL FROM command)`, "4.3.1", 452],
    [`host ${HOST} said: 554 Transaction failed (in reply to end of DATA command)`, "5.0.0", 554],
    [`host ${HOST} said: 550 5.7.1 Host not found in allow list (in reply to RCPT TO command)`, "5.7.1", 550],
  ])("%s → the server's own %s", (reason, code, smtp) => {
    expect(classifyPostfixReason(reason, "5.0.0")).toEqual({ code, smtp, name: "other", detail: reason });
  });

  it("unwraps `delivery temporarily suspended: …` and keeps the inner text as the detail", () => {
    const inner = `connect to ${HOST}:25: Connection refused`;
    expect(classifyPostfixReason(`delivery temporarily suspended: ${inner}`, "4.4.1")).toEqual({ code: "4.4.316", smtp: 450, name: "connectionRefused", detail: inner });
  });

  it("an unknown connect error falls back to 4.4.315 (no connection could be made)", () => {
    expect(classifyPostfixReason(`connect to ${HOST}:25: Operation not permitted`).code).toBe("4.4.315");
  });

  it.each(["", "garbage \u0000 text", "mail for contoso.se loops back to myself"])("an unknown text %j → the dsn= given, else `unknown`, never a throw", (reason) => {
    expect(classifyPostfixReason(reason, "5.4.6")).toMatchObject({ code: "5.4.6", name: "other" });
    expect(classifyPostfixReason(reason)).toMatchObject({ code: "unknown", smtp: null, name: "other" });
  });
});

describe("classifyExchangeDetail: keeps the code Exchange gave", () => {
  it("reads the current layout", () => {
    const text =
      "Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.se] [LastAttemptedIP=203.0.113.25:25]};{MSG=};{FQDN=mail.contoso.se};{IP=203.0.113.25}]";
    expect(classifyExchangeDetail(text)).toEqual({
      code: "4.4.316",
      smtp: 450,
      name: "connectionRefused",
      detail: "Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.se] [LastAttemptedIP=203.0.113.25:25] [FQDN=mail.contoso.se] [IP=203.0.113.25]",
    });
  });

  it("reads the older layout", () => {
    const text = "[{LED=450 4.4.316 Connection refused};{MSG=Socket error code 10061};{Last attempted server name=mail.contoso.se}]";
    expect(classifyExchangeDetail(text)).toEqual({
      code: "4.4.316",
      smtp: 450,
      name: "connectionRefused",
      detail: "Connection refused [Message=Socket error code 10061] [Last attempted server name=mail.contoso.se]",
    });
  });

  it("keeps 4.4.317 for TLS trouble and for a certificate name mismatch (Exchange's own filing)", () => {
    const tls = "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=451 4.4.0 TLS negotiation failed with error SocketError] [LastAttemptedServerName=mail.contoso.se]};{MSG=}]";
    const mismatch =
      "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: mail.contoso.se Presented Subject: *.hosting.example]};{MSG=}]";
    expect(classifyExchangeDetail(tls)).toMatchObject({ code: "4.4.317", smtp: 450, name: "cannotConnect" });
    expect(classifyExchangeDetail(mismatch)).toMatchObject({ code: "4.4.317", smtp: 450, name: "cannotConnect" });
  });

  it.each([
    ["10061", "4.4.316", "connectionRefused"],
    ["10060", "4.4.315", "connectionTimedOut"],
    ["10065", "4.4.315", "connectionTimedOut"],
    ["10054", "4.4.318", "connectionClosed"],
  ])("reads Exchange Server's generic 441 4.4.1 by its Winsock error %s → %s", (winsock, code, name) => {
    const text =
      `[{LRT=};{LED=441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: ${winsock}, Win32 error code: ${winsock}." Attempted failover to alternate host, but that did not succeed.};{FQDN=mail.contoso.se};{IP=203.0.113.25}]`;
    expect(classifyExchangeDetail(text)).toMatchObject({ code, smtp: 450, name });
    expect(classifyExchangeDetail(text).detail).toContain(`Winsock error code: ${winsock}`);
  });

  it("keeps a generic 4.4.1 without a Winsock error as given", () => {
    expect(classifyExchangeDetail("[{LED=441 4.4.1 Error encountered while communicating with primary target IP address};{FQDN=mail.contoso.se}]")).toMatchObject({ code: "4.4.1", smtp: 441, name: "other" });
  });

  it("reads a code outside LED= (expiry) and keeps it", () => {
    expect(classifyExchangeDetail("550 4.4.7 QUEUE.Expired; message expired")).toEqual({ code: "4.4.7", smtp: 550, name: "other", detail: "QUEUE.Expired; message expired" });
  });

  it.each(["", "Reason: [{MSG=nothing useful}]", "\uFFFD\uFFFD binary"])("a text without a code %j → `unknown`, never a throw", (text) => {
    expect(classifyExchangeDetail(text)).toEqual({ code: "unknown", smtp: null, name: "other", detail: text.trim() });
  });
});
