import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readExchangeFiles, type TenantState } from "@/lib/organisation/exchange/read";
import { planImport, productFingerprint, type ImportPlan, type ProductConnector, type ProductRemediation, type ProductState } from "@/lib/organisation/import-plan";

// The import's preview against the product's state: the sample files of tests/fixtures/exchange
// against an empty product, a product that has drifted, and one with a Fix now pending in Exchange.
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "exchange");
const read = (...names: string[]) => readExchangeFiles(names.map((name) => ({ name, bytes: readFileSync(path.join(FIXTURES, name)) })));
const both = () => read("outbound-connectors.json", "accepted-domains.json");
const empty = (): ProductState => ({ connectors: [], domains: [], remediations: [] });

/** The product after the plan's writes, as the service makes them (new rows numbered after the rest). */
function applied(product: ProductState, plan: ImportPlan): ProductState {
  const connectors = product.connectors.map((c) => ({ ...c }));
  let nextId = Math.max(0, ...connectors.map((c) => c.id)) + 1;
  for (const op of plan.connectorOps) {
    if (op.kind === "create") connectors.push({ ...op.fields, id: nextId++, retired: false });
    else Object.assign(connectors.find((c) => c.id === op.id)!, op.patch);
  }
  const idOf = (name: string | null | undefined) => (name == null ? null : connectors.find((c) => c.name.toLowerCase() === name.toLowerCase())!.id);
  const domains = product.domains.map((d) => ({ ...d }));
  let nextDomain = Math.max(0, ...domains.map((d) => d.id)) + 1;
  for (const op of plan.domainOps) {
    if (op.kind === "create") domains.push({ id: nextDomain++, name: op.name, type: op.type, connectorId: idOf(op.connector) });
    else {
      const domain = domains.find((d) => d.id === op.id)!;
      if (op.patch.type) domain.type = op.patch.type;
      if (op.patch.connector !== undefined) domain.connectorId = idOf(op.patch.connector);
    }
  }
  return { connectors, domains, remediations: product.remediations };
}

function onPremises(overrides: Partial<ProductConnector> = {}): ProductConnector {
  return {
    id: 1, name: "To on-premises Exchange", comment: "Mail for the mailboxes still on premises", kind: "ON_PREMISES", enabled: true, useMxRecord: false,
    smartHosts: ["mail.contoso.se", "203.0.113.25"], recipientDomains: ["contoso.se", "*.contoso.se"], tlsMode: "CERTIFICATE_VALIDATION", tlsDomain: null, retired: false,
    ...overrides,
  };
}

/** The product after the fixtures were imported once. */
function imported(): ProductState {
  return applied(empty(), planImport(empty(), both()));
}

describe("an import into an empty product", () => {
  it("adds every connector and domain, and names the connector that relays each relay domain", () => {
    const plan = planImport(empty(), both());
    expect(plan.preview.connectors).toMatchObject({ added: [{ name: "To on-premises Exchange" }, { name: "To Fabrikam" }, { name: "Archive relay" }], changed: [], unchanged: [], onlyHere: [] });
    expect(plan.preview.connectors!.added[1]!.values).toContainEqual({ field: "tlsDomain", value: "*.fabrikam.com" });
    expect(plan.preview.domains!.added).toEqual([
      { name: "contoso.onmicrosoft.com", values: [{ field: "type", value: "AUTHORITATIVE" }, { field: "connector", value: null }] },
      { name: "contoso.se", values: [{ field: "type", value: "INTERNAL_RELAY" }, { field: "connector", value: "To on-premises Exchange" }] },
      // Routed by the wildcard *.contoso.se.
      { name: "sales.contoso.se", values: [{ field: "type", value: "INTERNAL_RELAY" }, { field: "connector", value: "To on-premises Exchange" }] },
      // No connector routes it: the domain is added without one.
      { name: "lists.contoso.com", values: [{ field: "type", value: "EXTERNAL_RELAY" }, { field: "connector", value: null }] },
    ]);
    expect(plan.connectorOps.map((op) => op.kind)).toEqual(["create", "create", "create"]);
    expect(plan.preview.conflicts).toEqual([]);
  });

  it("changes nothing when the same files are imported again", () => {
    const again = planImport(imported(), both());
    expect(again.connectorOps).toEqual([]);
    expect(again.domainOps).toEqual([]);
    expect(again.preview.connectors).toMatchObject({ added: [], changed: [], unchanged: ["To on-premises Exchange", "To Fabrikam", "Archive relay"] });
    expect(again.preview.domains).toMatchObject({ added: [], changed: [], unchanged: ["contoso.onmicrosoft.com", "contoso.se", "sales.contoso.se", "lists.contoso.com"] });
  });
});

describe("an import into a product that has drifted", () => {
  it("lists what changes field by field, before and after, and compares lists as sets", () => {
    const product = imported();
    Object.assign(product.connectors[0]!, { smartHosts: ["203.0.113.25", "mail.contoso.se"], tlsMode: "OPPORTUNISTIC", comment: null });
    Object.assign(product.connectors[1]!, { name: "to fabrikam", recipientDomains: ["fabrikam.com", "fabrikam.se"] });
    product.domains[1]!.type = "AUTHORITATIVE";
    const plan = planImport(product, both());
    expect(plan.preview.connectors!.changed).toEqual([
      { id: 1, name: "To on-premises Exchange", changes: [{ field: "comment", before: null, after: "Mail for the mailboxes still on premises" }, { field: "tlsMode", before: "OPPORTUNISTIC", after: "CERTIFICATE_VALIDATION" }] },
      { id: 2, name: "to fabrikam", changes: [{ field: "name", before: "to fabrikam", after: "To Fabrikam" }, { field: "recipientDomains", before: ["fabrikam.com", "fabrikam.se"], after: ["fabrikam.com"] }] },
    ]);
    expect(plan.connectorOps).toEqual([
      { kind: "update", id: 1, patch: { comment: "Mail for the mailboxes still on premises", tlsMode: "CERTIFICATE_VALIDATION" } },
      { kind: "update", id: 2, patch: { name: "To Fabrikam", recipientDomains: ["fabrikam.com"] } },
    ]);
    expect(plan.preview.domains!.changed).toEqual([{ id: 2, name: "contoso.se", changes: [{ field: "type", before: "AUTHORITATIVE", after: "INTERNAL_RELAY" }] }]);
    expect(plan.domainOps).toEqual([{ kind: "update", id: 2, patch: { type: "INTERNAL_RELAY" } }]);
  });

  it("keeps what exists only in the product and never deletes it", () => {
    const product = imported();
    product.connectors.push(onPremises({ id: 9, name: "Lab relay", recipientDomains: ["lab.contoso.se"] }));
    product.domains.push({ id: 9, name: "lab.contoso.se", type: "INTERNAL_RELAY", connectorId: 9 });
    const plan = planImport(product, both());
    expect(plan.preview.connectors!.onlyHere).toEqual(["Lab relay"]);
    expect(plan.preview.domains!.onlyHere).toEqual(["lab.contoso.se"]);
    expect([plan.connectorOps, plan.domainOps]).toEqual([[], []]);
  });

  it("leaves a retired connector retired, and does not list it as only here", () => {
    const product = imported();
    Object.assign(product.connectors[2]!, { retired: true, enabled: false, comment: "retired" });
    product.connectors.push(onPremises({ id: 7, name: "Gone", retired: true }));
    const plan = planImport(product, both());
    expect(plan.preview.connectors).toMatchObject({ retired: ["Archive relay"], onlyHere: [], changed: [] });
    expect(plan.connectorOps).toEqual([]);
  });

  it("routes relay domains through the product's connectors when no connector file is given", () => {
    const product = { ...empty(), connectors: [onPremises({ id: 4 })] };
    const plan = planImport(product, read("accepted-domains.json"));
    expect(plan.preview.connectors).toBeNull();
    expect(plan.domainOps).toContainEqual({ kind: "create", name: "contoso.se", type: "INTERNAL_RELAY", connector: "To on-premises Exchange" });
  });

  it("keeps a domain's link when no connector in the files routes it", () => {
    const product = imported();
    product.connectors.push(onPremises({ id: 8, name: "Lists", recipientDomains: [] }));
    product.domains[3]!.connectorId = 8;
    expect(planImport(product, both()).domainOps).toEqual([]);
  });
});

describe("a Fix now pending in Exchange Online", () => {
  /** The product after Fix now on the on-premises connector: disabled, contoso.se Authoritative. */
  function afterFixNow(live = true): ProductState {
    const product = imported();
    const remediation: ProductRemediation = {
      id: 11, alertId: 5, live, tenantState: "PENDING",
      connector: { id: 1, name: "To on-premises Exchange", enabledBefore: true, enabledAfter: false },
      domains: [{ id: 2, name: "contoso.se", typeBefore: "INTERNAL_RELAY", typeAfter: "AUTHORITATIVE" }],
    };
    if (live) {
      product.connectors[0]!.enabled = false;
      product.domains[1]!.type = "AUTHORITATIVE";
    }
    return { ...product, remediations: [remediation] };
  }

  /** The fixtures as the tenant looks once the admin ran Fix now's commands there. */
  function tenantAfterFixNow(): TenantState {
    const tenant = both();
    tenant.connectors![0]!.enabled = false;
    tenant.domains![1]!.type = "AUTHORITATIVE";
    return tenant;
  }

  it("is a conflict when the files still show the old state, and the import leaves those fields alone", () => {
    const plan = planImport(afterFixNow(), both());
    expect(plan.preview.conflicts).toEqual([
      {
        remediationId: 11, alertId: 5, connector: "To on-premises Exchange", undone: false,
        fields: [
          { target: "connector", id: 1, name: "To on-premises Exchange", field: "enabled", product: false, tenant: true },
          { target: "domain", id: 2, name: "contoso.se", field: "type", product: "AUTHORITATIVE", tenant: "INTERNAL_RELAY" },
        ],
      },
    ]);
    expect(plan.preview.confirmations).toEqual([]);
    expect([plan.connectorOps, plan.domainOps]).toEqual([[], []]);
    expect(plan.preview.connectors!.unchanged).toContain("To on-premises Exchange");
  });

  it("takes the tenant's values for a conflict the admin resolves so", () => {
    const plan = planImport(afterFixNow(), both(), new Set([11]));
    expect(plan.connectorOps).toEqual([{ kind: "update", id: 1, patch: { enabled: true } }]);
    expect(plan.domainOps).toEqual([{ kind: "update", id: 2, patch: { type: "INTERNAL_RELAY" } }]);
  });

  it("still applies the other changes of the same connector", () => {
    const tenant = both();
    tenant.connectors![0]!.comment = "Decommissioned";
    expect(planImport(afterFixNow(), tenant).connectorOps).toEqual([{ kind: "update", id: 1, patch: { comment: "Decommissioned" } }]);
  });

  it("is confirmed when the files show Fix now's state", () => {
    const plan = planImport(afterFixNow(), tenantAfterFixNow());
    expect(plan.preview.confirmations).toEqual([{ remediationId: 11, alertId: 5, connector: "To on-premises Exchange", undone: false }]);
    expect(plan.preview.conflicts).toEqual([]);
    expect([plan.connectorOps, plan.domainOps]).toEqual([[], []]);
  });

  it("is not confirmed by files that do not show every object it changed", () => {
    const tenant = tenantAfterFixNow();
    const plan = planImport(afterFixNow(), { ...tenant, domains: null });
    expect([plan.preview.confirmations, plan.preview.conflicts]).toEqual([[], []]);
    const withoutTheDomain = planImport(afterFixNow(), { ...tenant, domains: tenant.domains!.filter((d) => d.name !== "contoso.se") });
    expect([withoutTheDomain.preview.confirmations, withoutTheDomain.preview.conflicts]).toEqual([[], []]);
  });

  it("is not a conflict where the product already agrees with the files", () => {
    const product = afterFixNow();
    product.connectors[0]!.enabled = true;
    const tenant = tenantAfterFixNow();
    tenant.connectors![0]!.enabled = true;
    const plan = planImport(product, tenant);
    expect([plan.preview.conflicts, plan.preview.confirmations]).toEqual([[], []]);
  });

  it("after Undo: confirmed by the restored state, a conflict while the files still show Fix now's", () => {
    expect(planImport(afterFixNow(false), both()).preview.confirmations).toEqual([{ remediationId: 11, alertId: 5, connector: "To on-premises Exchange", undone: true }]);
    const plan = planImport(afterFixNow(false), tenantAfterFixNow());
    expect(plan.preview.conflicts).toMatchObject([{ remediationId: 11, undone: true, fields: [{ field: "enabled", product: true, tenant: false }, { field: "type", product: "INTERNAL_RELAY", tenant: "AUTHORITATIVE" }] }]);
    expect([plan.connectorOps, plan.domainOps]).toEqual([[], []]);
  });
});

describe("the fingerprint of the product's state", () => {
  it("does not depend on the order of rows, and changes with any field or remediation", () => {
    const product = imported();
    const fingerprint = productFingerprint(product);
    expect(productFingerprint({ ...product, connectors: [...product.connectors].reverse(), domains: [...product.domains].reverse() })).toBe(fingerprint);
    const disabled = imported();
    disabled.connectors[1]!.enabled = false;
    expect(productFingerprint(disabled)).not.toBe(fingerprint);
    const relinked = imported();
    relinked.domains[0]!.connectorId = 2;
    expect(productFingerprint(relinked)).not.toBe(fingerprint);
    expect(productFingerprint({ ...product, remediations: [{ id: 1, alertId: 1, live: true, tenantState: "PENDING", connector: { id: 1, name: "x", enabledBefore: true, enabledAfter: false }, domains: [] }] })).not.toBe(fingerprint);
  });
});
