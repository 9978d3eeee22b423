import { describe, expect, it } from "vitest";
import { buildFixNowPlan, domainsToSwitch, planDiffers, remediationRecord } from "@/lib/remediation/plan";
import { remediationAfterSchema, remediationBeforeSchema } from "@/lib/remediation/schemas";

const connector = { id: 7, name: "To on-premises", enabled: true };
const domains = [
  { id: 3, name: "b.example", type: "INTERNAL_RELAY", connectorId: 7 },
  { id: 1, name: "a.example", type: "INTERNAL_RELAY", connectorId: 7 },
  { id: 2, name: "c.example", type: "AUTHORITATIVE", connectorId: 7 },
  { id: 4, name: "d.example", type: "EXTERNAL_RELAY", connectorId: 7 },
  { id: 5, name: "e.example", type: "INTERNAL_RELAY", connectorId: 8 },
  { id: 6, name: "f.example", type: "INTERNAL_RELAY", connectorId: null },
];

describe("Fix now plan", () => {
  it("switches only the Internal relay domains relayed by the connector, by name", () => {
    expect(domainsToSwitch(domains, 7)).toEqual([
      { id: 1, name: "a.example" },
      { id: 3, name: "b.example" },
    ]);
    expect(domainsToSwitch(domains, 9)).toEqual([]);
  });

  it("names the connector, the domains and the number of queued messages", () => {
    expect(buildFixNowPlan({ alertId: 11, connector, domains, queuedMessages: 42 })).toEqual({
      alertId: 11,
      connector,
      domains: [
        { id: 1, name: "a.example" },
        { id: 3, name: "b.example" },
      ],
      queuedMessages: 42,
    });
  });

  it("notices when the domains differ from the ones the dialog showed", () => {
    const plan = buildFixNowPlan({ alertId: 11, connector, domains, queuedMessages: 0 });
    expect(planDiffers(plan, undefined)).toBe(false);
    expect(planDiffers(plan, [3, 1])).toBe(false);
    expect(planDiffers(plan, [1, 3, 3])).toBe(false);
    expect(planDiffers(plan, [1])).toBe(true);
    expect(planDiffers(plan, [1, 3, 5])).toBe(true);
    expect(planDiffers(plan, [1, 5])).toBe(true);
  });

  it("records before and after in the shape Undo reads back", () => {
    const plan = buildFixNowPlan({ alertId: 11, connector, domains, queuedMessages: 2 });
    const alert = { status: "ACTIVE" as const, resolvedAt: null, resolvedReason: null, queuedCount: 2, oldestQueuedAt: "2026-11-27T09:00:00.000Z" };
    const { before, after } = remediationRecord(plan, alert, ["10", "12"]);
    expect(remediationBeforeSchema.parse(before)).toEqual({
      connector,
      domains: [
        { id: 1, name: "a.example", type: "INTERNAL_RELAY" },
        { id: 3, name: "b.example", type: "INTERNAL_RELAY" },
      ],
      alert,
    });
    expect(remediationAfterSchema.parse(after)).toEqual({
      connector: { ...connector, enabled: false },
      domains: [
        { id: 1, name: "a.example", type: "AUTHORITATIVE" },
        { id: 3, name: "b.example", type: "AUTHORITATIVE" },
      ],
      rejectedMessageIds: ["10", "12"],
    });
  });
});
