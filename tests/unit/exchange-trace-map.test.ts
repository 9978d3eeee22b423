import { describe, expect, it } from "vitest";
import { validateEvent } from "@/lib/events/validate";
import { detectFormat, type Header } from "@/lib/sources/exchange-trace/formats";
import { rowKey } from "@/lib/sources/exchange-trace/keys";
import { mapRow, type ConnectorResolver } from "@/lib/sources/exchange-trace/map-row";

const ONPREM = { id: 1, name: "Outbound to Contoso on-premises" };
const PARTNER = { id: 2, name: "To Fabrikam" };
const connectors: ConnectorResolver = {
  byName: (name) => [ONPREM, PARTNER].find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? null,
  byRecipientDomain: (domain) => ({ "contoso-nordic.se": ONPREM, "fabrikam.example": PARTNER })[domain] ?? null,
};
const LED316 = "[{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso-nordic.se] [LastAttemptedIP=203.0.113.25:25]};{MSG=};{FQDN=mail.contoso-nordic.se}]";

function header(fields: string[]): Header {
  const found = detectFormat(fields);
  if (!found.ok) throw new Error(found.message);
  return found;
}

const REPORT = header(["date_time_utc", "server_hostname", "connector_id", "event_id", "internal_message_id", "message_id", "network_message_id", "recipient_address", "recipient_status", "sender_address", "custom_data"]);
const report = (o: Partial<Record<string, string>>) =>
  ["2026-11-27T10:00:05.4560000Z", "", "Outbound to Contoso on-premises", "DEFER", "1001", "<m1@contoso.se>", "0b5e0c6f-1", "bo@contoso-nordic.se", LED316, "alice@contoso.se", ""].map((v, i) => o[REPORT_NAMES[i]!] ?? v);
const REPORT_NAMES = ["date_time_utc", "server_hostname", "connector_id", "event_id", "internal_message_id", "message_id", "network_message_id", "recipient_address", "recipient_status", "sender_address", "custom_data"];

describe("mapRow: the admin center's report", () => {
  it("maps a DEFER to a deferral with Exchange's code, its text, the last server tried and the row's key", () => {
    const [outcome] = mapRow(REPORT, report({}), connectors);
    expect(outcome).toEqual({
      occurredAt: "2026-11-27T10:00:05.456Z",
      event: {
        id: "report:0b5e0c6f-1:bo@contoso-nordic.se:DEFER:2026-11-27T10:00:05.456Z",
        occurredAt: "2026-11-27T10:00:05.456Z",
        connector: 1,
        messageId: "<m1@contoso.se>",
        recipient: "bo@contoso-nordic.se",
        sender: "alice@contoso.se",
        status: "deferred",
        errorCode: "450 4.4.316",
        errorDetails: LED316,
        destination: "mail.contoso-nordic.se",
      },
    });
    // What the importer hands ingest passes its check as is.
    expect(validateEvent("event" in outcome! ? outcome.event : null).ok).toBe(true);
  });

  it.each([
    ["DEFER", "deferred"],
    ["FAIL", "failed"],
    ["SEND", "delivered"],
    ["DELIVER", "delivered"],
  ])("%s → %s", (event_id, status) => {
    expect(mapRow(REPORT, report({ event_id }), connectors)[0]).toMatchObject({ event: { status } });
  });

  it("a DELIVER without a connector_id went to a mailbox inside the service, not through a connector", () => {
    expect(mapRow(REPORT, report({ event_id: "DELIVER", connector_id: "" }), connectors)).toEqual([{ skip: "mailbox-delivery" }]);
  });

  it("a FAIL that says QUEUE.Expired is the MTA giving up: expired", () => {
    expect(mapRow(REPORT, report({ event_id: "FAIL", recipient_status: "550 4.4.7 QUEUE.Expired; message expired" }), connectors)[0]).toMatchObject({ event: { status: "expired", errorCode: "550 4.4.7" } });
  });

  it.each(["RECEIVE", "SUBMIT", "EXPAND", "RESOLVE", "AGENTINFO", "garbled"])("%s is no delivery attempt", (event_id) => {
    expect(mapRow(REPORT, report({ event_id }), connectors)).toEqual([{ skip: "not-an-attempt" }]);
  });

  it("reads the code from custom_data when the status has none", () => {
    expect(mapRow(REPORT, report({ recipient_status: "", custom_data: LED316 }), connectors)[0]).toMatchObject({ event: { errorCode: "450 4.4.316" } });
  });

  it("takes the connector connector_id names (also after SERVER\\), else the recipient's domain's", () => {
    expect(mapRow(REPORT, report({ connector_id: "EX01\\To Fabrikam" }), connectors)[0]).toMatchObject({ event: { connector: 2 } });
    expect(mapRow(REPORT, report({ connector_id: "", recipient_address: "lisa@fabrikam.example" }), connectors)[0]).toMatchObject({ event: { connector: 2 } });
    expect(mapRow(REPORT, report({ connector_id: "Outbound to somewhere else" }), connectors)).toEqual([{ skip: "unknown-connector" }]);
    expect(mapRow(REPORT, report({ connector_id: "", recipient_address: "someone@gmail.com" }), connectors)).toEqual([{ skip: "no-connector" }]);
  });

  it("makes one event per recipient, pairing statuses when there is one per recipient", () => {
    const other = LED316.replace("4.4.316 Connection refused", "4.4.315 Connection timed out");
    const out = mapRow(REPORT, report({ recipient_address: "eva@contoso-nordic.se;ann@contoso-nordic.se", recipient_status: `${LED316};${other}` }), connectors);
    expect(out.map((o) => "event" in o && [o.event.recipient, o.event.errorCode])).toEqual([["eva@contoso-nordic.se", "450 4.4.316"], ["ann@contoso-nordic.se", "450 4.4.315"]]);
    const shared = mapRow(REPORT, report({ recipient_address: "eva@contoso-nordic.se;ann@contoso-nordic.se" }), connectors);
    expect(shared.map((o) => "event" in o && o.event.errorCode)).toEqual(["450 4.4.316", "450 4.4.316"]);
    expect(new Set(shared.map((o) => "event" in o && o.event.id)).size).toBe(2);
  });

  it.each([
    [{ date_time_utc: "not a date" }, "bad-date"],
    [{ recipient_address: "" }, "no-recipient"],
    [{ recipient_address: "not an address" }, "no-recipient"],
    [{ message_id: "" }, "no-message-id"],
    [{ recipient_address: "b\uFFFDo@contoso-nordic.se" }, "not-text"],
  ])("%j → skipped (%s)", (change, reason) => {
    expect(mapRow(REPORT, report(change), connectors)).toEqual([{ skip: reason }]);
  });

  it("a row that does not fit the header (cut, garbled) is malformed", () => {
    expect(mapRow(REPORT, report({}).slice(0, 4), connectors)).toEqual([{ skip: "malformed" }]);
    expect(mapRow(REPORT, [...report({}), "extra"], connectors)).toEqual([{ skip: "malformed" }]);
  });

  it("leaves out a sender that is no address (a bounce's <>) and cuts long details to 4 KB", () => {
    const [outcome] = mapRow(REPORT, report({ sender_address: "<>", recipient_status: `${LED316} ${"é".repeat(5000)}` }), connectors);
    expect(outcome).toMatchObject({ event: { errorCode: "450 4.4.316" } });
    const event = "event" in outcome! ? outcome.event : null;
    expect(event?.sender).toBeUndefined();
    expect(Buffer.byteLength(event!.errorDetails!, "utf8")).toBeLessThanOrEqual(4096);
    expect(validateEvent(event).ok).toBe(true);
  });
});

describe("mapRow: the other formats and their keys", () => {
  it("Get-MessageTraceV2: Delivered and Failed are outcomes; Pending waits for the detail; others are no attempt", () => {
    const v2 = header(["Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size", "MessageId", "MessageTraceId"]);
    const row = (status: string) => ["11/27/2026 9:00:05 AM", "alice@contoso.se", "Lisa@Fabrikam.example", "Offer", status, "198.51.100.7", "10.0.0.5", "5120", "<p1@contoso.se>", "a1b2-1"];
    expect(mapRow(v2, row("Delivered"), connectors)[0]).toMatchObject({
      event: { id: "trace:a1b2-1:lisa@fabrikam.example:DELIVERED:2026-11-27T09:00:05.000Z", status: "delivered", connector: 2, destination: "198.51.100.7" },
    });
    expect(mapRow(v2, row("Failed"), connectors)[0]).toMatchObject({ event: { status: "failed" } });
    const inside = row("Delivered");
    inside[5] = "";
    expect(mapRow(v2, inside, connectors)).toEqual([{ skip: "mailbox-delivery" }]);
    expect(mapRow(v2, row("Pending"), connectors)).toEqual([{ skip: "pending" }]);
    expect(mapRow(v2, row("Quarantined"), connectors)).toEqual([{ skip: "not-an-attempt" }]);
  });

  it("Get-MessageTraceDetailV2: Defer with the code from Detail, Send external delivered", () => {
    const detail = header(["MessageTraceId", "Date", "Event", "Action", "Detail", "Data", "MessageId", "SenderAddress", "RecipientAddress"]);
    const row = (event: string, text: string) => ["a1b2-2", "2026-11-27 09:10:05", event, "", text, "<root/>", "<p2@contoso.se>", "alice@contoso.se", "bo@contoso-nordic.se"];
    expect(mapRow(detail, row("Defer", `Reason: ${LED316}`), connectors)[0]).toMatchObject({
      event: { id: "trace-detail:a1b2-2:bo@contoso-nordic.se:DEFER:2026-11-27T09:10:05.000Z", status: "deferred", errorCode: "450 4.4.316", connector: 1 },
    });
    expect(mapRow(detail, row("Send external", "Message sent"), connectors)[0]).toMatchObject({ event: { status: "delivered" } });
    expect(mapRow(detail, row("Receive", "Message received"), connectors)).toEqual([{ skip: "not-an-attempt" }]);
    expect(mapRow(detail, row("Deliver", "The message was delivered to the mailbox"), connectors)).toEqual([{ skip: "mailbox-delivery" }]);
  });

  it("a tracking log: Exchange Server's 441 4.4.1 is read by its Winsock error, the key names the row's hosts", () => {
    const trk = header(["#Fields: date-time", "client-hostname", "server-hostname", "connector-id", "event-id", "internal-message-id", "message-id", "recipient-address", "recipient-status"]);
    const status = '[{LRT=};{LED=441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: 10061, Win32 error code: 10061."};{FQDN=legacy.contoso-nordic.se};{IP=203.0.113.40}]';
    const [outcome] = mapRow(trk, ["2026-11-27T10:00:02.250Z", "EX01", "", "EX01\\Outbound to Contoso on-premises", "DEFER", "52001", "<t1@contoso.se>", "bo@contoso-nordic.se", status], connectors);
    expect(outcome).toMatchObject({
      event: { id: "msgtrk:EX01::52001:bo@contoso-nordic.se:DEFER:2026-11-27T10:00:02.250Z", status: "deferred", errorCode: "450 4.4.316", connector: 1, destination: "legacy.contoso-nordic.se" },
    });
  });

  it("rowKey keeps a key within ingest's 200 characters by a digest, the same for the same parts", () => {
    const long = ["x".repeat(150), `${"y".repeat(100)}@contoso.se`, "DEFER", "2026-11-27T10:00:00.000Z"];
    expect(rowKey("report", long)).toMatch(/^report:sha256:[0-9a-f]{64}$/);
    expect(rowKey("report", long)).toBe(rowKey("report", [...long]));
    expect(rowKey("report", ["a", "b"])).toBe("report:a:b");
  });
});
