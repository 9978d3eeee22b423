import { describe, expect, it } from "vitest";
import { domainEntriesOf } from "@/lib/connectors/domain-timeline";

const A = 1;
const B = 2;
const entry = (targetId: string, action: string, before: unknown, after: unknown) => ({ targetId, action, before, after });
const actionsOf = (entries: { action: string }[]) => entries.map((e) => e.action);

describe("domainEntriesOf", () => {
  // contoso.se (domain 7): added on A, its type changed by Fix now, moved to B, its type changed again.
  const history = [
    entry("7", "domain.create", null, { name: "contoso.se", type: "INTERNAL_RELAY", connectorId: A, connector: "A" }),
    entry("7", "domain.type", { name: "contoso.se", type: "INTERNAL_RELAY" }, { name: "contoso.se", type: "AUTHORITATIVE" }),
    entry("7", "domain.update", { name: "contoso.se", connectorId: A, connector: "A" }, { name: "contoso.se", connectorId: B, connector: "B" }),
    entry("7", "domain.update", { name: "contoso.se", type: "AUTHORITATIVE" }, { name: "contoso.se", type: "EXTERNAL_RELAY" }),
  ];

  it("shows a moved domain's changes on the connector it was on at the time, and the move on both", () => {
    expect(actionsOf(domainEntriesOf(A, history, () => B))).toEqual(["domain.create", "domain.type", "domain.update"]);
    expect(actionsOf(domainEntriesOf(B, history, () => B))).toEqual(["domain.update", "domain.update"]);
    expect(domainEntriesOf(B, history, () => B)[0]).toBe(history[2]);
  });

  it("places a removed domain's changes by the connector its removal names", () => {
    const removed = [...history.slice(0, 2), entry("7", "domain.delete", { name: "contoso.se", type: "AUTHORITATIVE", connectorId: A, connector: "A" }, null)];
    expect(actionsOf(domainEntriesOf(A, removed, () => null))).toEqual(["domain.create", "domain.type", "domain.delete"]);
    expect(domainEntriesOf(B, removed, () => null)).toEqual([]);
  });

  it("keeps entries that name no connector on the domain's connector now, as before any move was audited", () => {
    const old = [entry("3", "domain.type", { type: "INTERNAL_RELAY" }, { type: "AUTHORITATIVE" })];
    expect(domainEntriesOf(A, old, () => A)).toEqual(old);
    expect(domainEntriesOf(B, old, () => A)).toEqual([]);
  });

  it("follows each domain on its own", () => {
    const two = [
      entry("1", "domain.update", { connectorId: null }, { connectorId: A }),
      entry("2", "domain.type", { type: "INTERNAL_RELAY" }, { type: "AUTHORITATIVE" }),
      entry("1", "domain.type", { type: "INTERNAL_RELAY" }, { type: "AUTHORITATIVE" }),
    ];
    expect(domainEntriesOf(A, two, (id) => (id === "1" ? A : B))).toEqual([two[0], two[2]]);
  });
});
