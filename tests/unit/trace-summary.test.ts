import { describe, expect, it } from "vitest";
import type { StoredEvent } from "@/lib/events/fold-rows";
import { traceRows } from "@/lib/trace/summary";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8, minute));

function event(minute: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    clientId: null, occurredAt: at(minute), connectorId: 1, messageId: "<m@x>", sender: "a@contoso.se", recipient: "b@fabrikam.se",
    recipientDomain: "fabrikam.se", status: "DEFERRED", smtpStatus: 450, errorCode: "4.4.316", errorDetails: null, destination: null, ...overrides,
  };
}

describe("traceRows", () => {
  it("makes one row per connector, message and recipient with first and last attempt, attempts, latest status and code", () => {
    const rows = traceRows([
      event(5, { errorCode: "4.4.318" }),
      event(0),
      event(9, { status: "DELIVERED", errorCode: null, smtpStatus: null }),
      event(1, { recipient: "c@fabrikam.se" }),
      event(2, { connectorId: 2 }),
    ]);
    expect(rows).toHaveLength(3);
    const main = rows.find((r) => r.connectorId === 1 && r.recipient === "b@fabrikam.se")!;
    expect(main).toMatchObject({ firstAttemptAt: at(0), lastAttemptAt: at(9), attempts: 3, lastCode: "4.4.318", lastCodeAt: at(5) });
    expect(main.last.status).toBe("DELIVERED");
  });

  it("orders attempts at one instant as the fold does: a delivery after a deferral", () => {
    const [row] = traceRows([event(3, { status: "DELIVERED", errorCode: null }), event(3)]);
    expect(row!.last.status).toBe("DELIVERED");
    expect(row!.lastCode).toBe("4.4.316");
  });

  it("leaves probe observations out and keys a missing recipient as empty", () => {
    expect(traceRows([event(1, { probe: true })])).toEqual([]);
    const [row] = traceRows([event(1, { recipient: null, recipientDomain: null, sender: null }), event(2, { recipient: null, recipientDomain: null })]);
    expect(row).toMatchObject({ recipient: "", attempts: 2, sender: "a@contoso.se" });
  });
});
