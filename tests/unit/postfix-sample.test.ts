import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateEvent } from "@/lib/events/validate";
import { newPostfixState, readPostfixLines } from "@/lib/sources/postfix/correlate";
import { startYearClock } from "@/lib/sources/postfix/line";
import { postfixRouter } from "@/lib/sources/postfix/route";

// tests/fixtures/postfix/sample.log: a maillog_file log across New Year with every reason text,
// local deliveries, a content filter, other programs and broken lines.
const SAMPLE = readFileSync(path.join(import.meta.dirname, "../fixtures/postfix/sample.log"), "utf8").split("\n").slice(0, -1);
const route = postfixRouter([
  { id: 1, enabled: true, retired: false, recipientDomains: ["contoso.se"], smartHosts: ["mail.contoso.se"] },
  { id: 2, enabled: true, retired: false, recipientDomains: ["fabrikam.com"], smartHosts: ["mail.fabrikam.com"] },
  { id: 3, enabled: true, retired: false, recipientDomains: [], smartHosts: ["relay.northwind.example"] },
]);

describe("the sample log", () => {
  const { events, skipped } = readPostfixLines(SAMPLE, newPostfixState(startYearClock(new Date("2026-12-31T23:00:00Z"))), { route });

  it("makes one event per delivery through a connector, classified by its reason", () => {
    expect(events.map((e) => [e.occurredAt.slice(0, 19), e.recipient, e.connector, e.status, e.errorCode ?? null])).toEqual([
      ["2026-12-31T23:50:02", "ann@contoso.se", 1, "deferred", "450 4.4.316"],
      ["2026-12-31T23:50:02", "bo@contoso.se", 1, "deferred", "450 4.4.316"],
      ["2026-12-31T23:52:32", "orders@fabrikam.com", 2, "deferred", "450 4.7.320"],
      ["2026-12-31T23:55:15", "eve@partner.example", 3, "delivered", null],
      ["2026-12-31T23:58:40", "hr@contoso.se", 1, "deferred", "450 4.4.312"],
      ["2026-12-31T23:59:59", "sales@fabrikam.com", 2, "deferred", "452 4.2.2"],
      ["2027-01-01T00:00:05", "jo@fabrikam.com", 2, "failed", "550 5.1.1"],
      ["2027-01-01T00:02:00", "ann@contoso.se", 1, "deferred", "450 4.4.316"],
      ["2027-01-01T00:03:00", "ops@contoso.se", 1, "deferred", "450 4.4.318"],
      ["2027-01-01T00:03:30", "it@contoso.se", 1, "deferred", "450 4.4.318"],
      ["2027-01-01T00:04:00", "legal@contoso.se", 1, "deferred", "450 4.4.317"],
      ["2027-01-01T00:04:30", "pay@fabrikam.com", 2, "deferred", "450 4.4.317"],
      ["2027-01-01T00:05:00", "dev@fabrikam.com", 2, "deferred", "450 4.4.317"],
      ["2027-01-01T00:05:30", "cfo@contoso.se", 1, "deferred", "450 4.4.317"],
      ["2027-01-01T00:06:30", "ceo@contoso.se", 1, "deferred", "450 4.4.315"],
      ["2027-01-01T00:10:00", "bo@contoso.se", 1, "delivered", null],
      ["2027-01-01T00:10:01", "ann@contoso.se", 1, "expired", "450 4.4.316"],
    ]);
  });

  it("correlates message-id, sender, details and destination", () => {
    expect(events[0]).toMatchObject({
      messageId: "20261231235001.4F9D195432@app1.contoso.se", sender: "alerts@contoso.se", destination: "mail.contoso.se[192.0.2.10]:25",
      errorDetails: "connect to mail.contoso.se[192.0.2.10]:25: Connection refused",
    });
    expect(events[2]).toMatchObject({
      messageId: "invoice-8812@billing.contoso.se", errorDetails: "Server certificate not verified: untrusted issuer /CN=Fabrikam Internal CA",
    });
    expect(events[4]).toMatchObject({ messageId: "postfix:E5F6A7B8C9" });
    expect(events[4]?.sender).toBeUndefined();
    expect(events[7]?.errorDetails).toBe("connect to mail.contoso.se[192.0.2.10]:25: Connection refused");
    expect(events.at(-1)).toMatchObject({ messageId: "20261231235001.4F9D195432@app1.contoso.se", errorDetails: events[7]?.errorDetails });
  });

  it("every event passes ingest's validation", () => {
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true });
  });

  it("counts what it skipped, by reason", () => {
    expect(skipped).toEqual({
      "not a delivery": 7,
      "other program": 2,
      "local delivery": 1,
      "local relay": 1,
      "no connector": 1,
      unparsable: 1,
      truncated: 1,
      binary: 1,
    });
  });
});
