import { describe, expect, it } from "vitest";
import { changedFields, connectorChangeAction } from "@/lib/organisation/changes";

describe("changedFields", () => {
  const current = { name: "To A", enabled: true, smartHosts: ["a.example.com", "b.example.com"], comment: null as string | null };

  it("keeps only the fields whose value differs, before and after", () => {
    expect(changedFields(current, { name: "To A", enabled: false, comment: "moved" })).toEqual({
      before: { enabled: true, comment: null },
      after: { enabled: false, comment: "moved" },
      fields: ["enabled", "comment"],
    });
  });

  it("compares lists entry by entry, in order", () => {
    expect(changedFields(current, { smartHosts: ["a.example.com", "b.example.com"] })).toBeNull();
    expect(changedFields(current, { smartHosts: ["b.example.com", "a.example.com"] })?.fields).toEqual(["smartHosts"]);
    expect(changedFields(current, { smartHosts: ["a.example.com"] })?.after).toEqual({ smartHosts: ["a.example.com"] });
  });

  it("is null for an empty patch, a patch of undefined fields and one equal to what is stored", () => {
    expect(changedFields(current, {})).toBeNull();
    expect(changedFields(current, { name: undefined })).toBeNull();
    expect(changedFields(current, { ...current })).toBeNull();
  });

  it("tells null from a value", () => {
    expect(changedFields(current, { comment: "" })?.before).toEqual({ comment: null });
  });
});

describe("connectorChangeAction", () => {
  it("names a change of enabled alone as Fix now does, anything else an update", () => {
    expect(connectorChangeAction({ fields: ["enabled"], after: { enabled: false } })).toBe("connector.disable");
    expect(connectorChangeAction({ fields: ["enabled"], after: { enabled: true } })).toBe("connector.enable");
    expect(connectorChangeAction({ fields: ["enabled", "name"], after: { enabled: true } })).toBe("connector.update");
    expect(connectorChangeAction({ fields: ["comment"], after: {} })).toBe("connector.update");
  });
});
