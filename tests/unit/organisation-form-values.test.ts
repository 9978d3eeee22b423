import { describe, expect, it } from "vitest";
import { CONNECTOR_FORM_FIELDS, connectorBody, connectorFormValues, hoursToMinutes, issuesByField, minutesToHours } from "@/components/organisation/form-values";
import type { ConnectorRecord } from "@/lib/connectors/schemas";
import { connectorSettingsSchema } from "@/lib/organisation/connector-fields";

const stored: ConnectorRecord = {
  id: 3, name: "To on-premises", comment: null, kind: "ON_PREMISES", enabled: false, useMxRecord: false,
  smartHosts: ["mail.contoso.se", "[2001:db8::25]:587"], recipientDomains: ["contoso.se", "*.contoso.se"],
  tlsMode: "DOMAIN_VALIDATION", tlsDomain: "mail.contoso.se", queueLifetimeMinutes: 7200, retiredAt: null, retiredBy: null, demo: false,
};

describe("the connector form's values", () => {
  it("round-trip a stored connector to the body the API takes", () => {
    const body = connectorBody(connectorFormValues(stored));
    const { id: _id, retiredAt: _at, retiredBy: _by, demo: _demo, ...fields } = stored;
    expect(body).toEqual(fields);
    expect(connectorSettingsSchema.parse(body)).toEqual(fields);
  });

  it("split lists by line or comma, drop blank lines, and leave out what the choices exclude", () => {
    const values = { ...connectorFormValues(null), name: "P", smartHosts: " mx1.fabrikam.com \n\n mx2.fabrikam.com, mx3.fabrikam.com\r\n", recipientDomains: "fabrikam.com\n", tlsDomain: "left.over", comment: "  " };
    expect(connectorBody(values)).toMatchObject({ smartHosts: ["mx1.fabrikam.com", "mx2.fabrikam.com", "mx3.fabrikam.com"], recipientDomains: ["fabrikam.com"], tlsDomain: null, comment: null });
    expect(connectorBody({ ...values, routing: "mx" })).toMatchObject({ useMxRecord: true, smartHosts: [] });
  });

  it("start a new connector enabled, routed through smart hosts, with opportunistic TLS", () => {
    expect(connectorFormValues(null)).toMatchObject({ enabled: true, routing: "smartHosts", tlsMode: "OPPORTUNISTIC", kind: "ON_PREMISES" });
  });

  it("show the queue lifetime in hours (24 for a new connector, 120 for a Postfix's 5 days) and send it in minutes", () => {
    expect(connectorFormValues(null).queueLifetimeHours).toBe("24");
    expect(connectorFormValues(stored).queueLifetimeHours).toBe("120");
    expect(connectorBody({ ...connectorFormValues(null), queueLifetimeHours: "1,5" })?.queueLifetimeMinutes).toBe(90);
  });

  it("give no body when the queue lifetime is not a number of hours, and leave the range to the API", () => {
    for (const typed of ["", " ", "5d", "1e3", "-2", "1.2.3", "24 h"]) expect(connectorBody({ ...connectorFormValues(null), queueLifetimeHours: typed }), typed).toBeNull();
    expect(connectorBody({ ...connectorFormValues(null), queueLifetimeHours: "0" })?.queueLifetimeMinutes).toBe(0);
    expect(connectorBody({ ...connectorFormValues(null), queueLifetimeHours: "721" })?.queueLifetimeMinutes).toBe(43_260);
  });
});

describe("queue lifetime hours and minutes", () => {
  it("read hours with a decimal point or comma, to the nearest whole minute", () => {
    expect([" 120 ", "0.5", "0,25", ".5", "2.", "1.33", "0.001"].map(hoursToMinutes)).toEqual([7200, 30, 15, 30, 120, 80, 0]);
    expect(["", "abc", "1,5,0", "+1", "Infinity", "NaN"].map(hoursToMinutes)).toEqual([null, null, null, null, null, null]);
  });

  it("give every whole minute from 1 to 30 days back as itself after a round trip through the hours shown", () => {
    for (let minutes = 1; minutes <= 43_200; minutes++) {
      if (hoursToMinutes(minutesToHours(minutes)) !== minutes) expect.fail(`${minutes} minutes came back as ${hoursToMinutes(minutesToHours(minutes))}`);
    }
    expect([1, 30, 90, 100, 1440, 7200, 43_200].map(minutesToHours)).toEqual(["0.017", "0.5", "1.5", "1.667", "24", "120", "720"]);
  });
});

describe("issuesByField", () => {
  it("puts each issue at its input (the first per input), list entries and aliases included, and keeps the rest apart", () => {
    const issues = [
      { field: "smartHosts.2", message: "an entry is longer than 300 characters" },
      { field: "smartHosts", message: "a later one" },
      { field: "useMxRecord", message: "must be a boolean" },
      { field: "tlsDomain", message: "is required" },
      { field: "queueLifetimeMinutes", message: "must be at least 1 minute" },
      { field: "(root)", message: "Unrecognized key: \"x\"" },
    ];
    expect(issuesByField(issues, CONNECTOR_FORM_FIELDS, { useMxRecord: "smartHosts" })).toEqual({
      byField: { smartHosts: "an entry is longer than 300 characters", tlsDomain: "is required", queueLifetimeMinutes: "must be at least 1 minute" },
      other: ['(root): Unrecognized key: "x"'],
    });
  });
});
