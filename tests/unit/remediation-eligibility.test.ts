import { describe, expect, it } from "vitest";
import { fixNowEligibility, offersFixNow } from "@/lib/remediation/eligibility";

const open = { errorCode: "4.4.316", connectorKind: "ON_PREMISES" as const, status: "ACTIVE", remediatedAt: null };

describe("fixNowEligibility", () => {
  it.each(["ACTIVE", "INVESTIGATING", "SNOOZED"])("allows Fix now on an open 4.4.316 alert of an on-premises connector (%s)", (status) => {
    expect(fixNowEligibility({ ...open, status })).toEqual({ eligible: true });
  });

  it.each([
    [{ errorCode: "4.4.315" }, "wrong_code"],
    [{ errorCode: "unknown" }, "wrong_code"],
    [{ connectorKind: "PARTNER" as const }, "partner_connector"],
    [{ status: "RESOLVED" }, "alert_closed"],
    [{ status: "DISMISSED" }, "alert_closed"],
    [{ remediatedAt: new Date(), status: "RESOLVED" }, "already_remediated"],
    [{ remediatedAt: "2026-11-27T10:00:00Z" }, "already_remediated"],
  ])("refuses %o with %s", (change, reason) => {
    expect(fixNowEligibility({ ...open, ...change })).toEqual({ eligible: false, reason });
  });

  it("says 'already remediated' before any other reason", () => {
    expect(fixNowEligibility({ errorCode: "4.4.316", connectorKind: "PARTNER", status: "RESOLVED", remediatedAt: new Date() })).toEqual({
      eligible: false,
      reason: "already_remediated",
    });
  });

  it("offers the button only for 4.4.316 on connectors to the organisation's own server", () => {
    expect(offersFixNow("4.4.316", "ON_PREMISES")).toBe(true);
    expect(offersFixNow("4.4.316", "PARTNER")).toBe(false);
    expect(offersFixNow("4.4.317", "ON_PREMISES")).toBe(false);
  });
});
