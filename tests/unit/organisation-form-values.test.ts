import { describe, expect, it } from "vitest";
import { CONNECTOR_FORM_FIELDS, connectorBody, connectorFormValues, issuesByField } from "@/components/organisation/form-values";
import type { ConnectorRecord } from "@/lib/connectors/schemas";
import { connectorFieldsSchema } from "@/lib/organisation/connector-fields";

const stored: ConnectorRecord = {
  id: 3, name: "To on-premises", comment: null, kind: "ON_PREMISES", enabled: false, useMxRecord: false,
  smartHosts: ["mail.contoso.se", "[2001:db8::25]:587"], recipientDomains: ["contoso.se", "*.contoso.se"],
  tlsMode: "DOMAIN_VALIDATION", tlsDomain: "mail.contoso.se", retiredAt: null, retiredBy: null, demo: false,
};

describe("the connector form's values", () => {
  it("round-trip a stored connector to the body the API takes", () => {
    const body = connectorBody(connectorFormValues(stored));
    const { id: _id, retiredAt: _at, retiredBy: _by, demo: _demo, ...fields } = stored;
    expect(body).toEqual(fields);
    expect(connectorFieldsSchema.parse(body)).toEqual(fields);
  });

  it("split lists by line or comma, drop blank lines, and leave out what the choices exclude", () => {
    const values = { ...connectorFormValues(null), name: "P", smartHosts: " mx1.fabrikam.com \n\n mx2.fabrikam.com, mx3.fabrikam.com\r\n", recipientDomains: "fabrikam.com\n", tlsDomain: "left.over", comment: "  " };
    expect(connectorBody(values)).toMatchObject({ smartHosts: ["mx1.fabrikam.com", "mx2.fabrikam.com", "mx3.fabrikam.com"], recipientDomains: ["fabrikam.com"], tlsDomain: null, comment: null });
    expect(connectorBody({ ...values, routing: "mx" })).toMatchObject({ useMxRecord: true, smartHosts: [] });
  });

  it("start a new connector enabled, routed through smart hosts, with opportunistic TLS", () => {
    expect(connectorFormValues(null)).toMatchObject({ enabled: true, routing: "smartHosts", tlsMode: "OPPORTUNISTIC", kind: "ON_PREMISES" });
  });
});

describe("issuesByField", () => {
  it("puts each issue at its input (the first per input), list entries and aliases included, and keeps the rest apart", () => {
    const issues = [
      { field: "smartHosts.2", message: "an entry is longer than 300 characters" },
      { field: "smartHosts", message: "a later one" },
      { field: "useMxRecord", message: "must be a boolean" },
      { field: "tlsDomain", message: "is required" },
      { field: "(root)", message: "Unrecognized key: \"x\"" },
    ];
    expect(issuesByField(issues, CONNECTOR_FORM_FIELDS, { useMxRecord: "smartHosts" })).toEqual({
      byField: { smartHosts: "an entry is longer than 300 characters", tlsDomain: "is required" },
      other: ['(root): Unrecognized key: "x"'],
    });
  });
});
