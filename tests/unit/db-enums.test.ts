import { describe, expect, it } from "vitest";
import { ALERT_STATUSES, QUEUE_STATES, ROLES, SEVERITIES } from "@/lib/db/enums";

// Permissions, the severity keyset and the message keyset rank values by their place in these
// lists, so a reordered enum in prisma/schema.prisma must fail here before it changes who may do what.
describe("the database enums as lists", () => {
  it("keep the schema's order, which the code ranks by", () => {
    expect(ROLES).toEqual(["VIEWER", "OPERATOR", "ADMIN"]);
    expect(SEVERITIES).toEqual(["LOW", "MEDIUM", "HIGH"]);
    expect(QUEUE_STATES).toEqual(["QUEUED", "DELIVERED", "FAILED", "EXPIRED", "REJECTED"]);
    expect(ALERT_STATUSES).toEqual(["ACTIVE", "INVESTIGATING", "SNOOZED", "DISMISSED", "RESOLVED"]);
  });
});
