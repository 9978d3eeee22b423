import { describe, expect, it } from "vitest";
import { invalidRuleFields, ruleBody, ruleFormDefaults } from "@/components/notifications/rule-form-values";

// The rule form's pure half: what it sends, what it starts with, and which inputs a refusal names.
function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe("ruleBody", () => {
  it("sends every field as the inputs hold it: lists split, numbers whole", () => {
    const body = ruleBody(form([
      ["channelId", "7"], ["triggers", "opened"], ["triggers", "resolved"], ["codes", " 4.4.316, 5.7.1;4.4.317  "], ["connectorIds", "3"],
      ["severities", "HIGH"], ["dailyLimit", "50"], ["groupMinutes", "0"], ["timeZone", " Europe/Stockholm "],
    ]));
    expect(body).toEqual({
      channelId: 7, triggers: ["opened", "resolved"], codes: ["4.4.316", "5.7.1", "4.4.317"], connectorIds: [3], severities: ["HIGH"],
      dailyLimit: 50, groupMinutes: 0, timeZone: "Europe/Stockholm",
    });
  });

  it("sends empty lists when nothing is chosen (all), and NaN for a number that is not whole, which the API refuses at its field", () => {
    const body = ruleBody(form([["channelId", "1"], ["codes", ""], ["dailyLimit", "1.5"], ["groupMinutes", ""], ["timeZone", "UTC"]]));
    expect(body).toMatchObject({ triggers: [], codes: [], connectorIds: [], severities: [] });
    expect(body.dailyLimit).toBeNaN();
    expect(body.groupMinutes).toBeNaN();
    expect(JSON.parse(JSON.stringify(body))).toMatchObject({ dailyLimit: null, groupMinutes: null });
  });
});

describe("ruleFormDefaults", () => {
  it("starts with a saved rule's values, or a new rule's defaults in the browser's zone", () => {
    expect(ruleFormDefaults({
      id: 1, channelId: 4, triggers: ["opened"], codes: ["4.4.316", "5.7.1"], connectorIds: [9], severities: ["LOW"], dailyLimit: 20,
      groupMinutes: 3, timeZone: "UTC", enabled: true,
    }, "Europe/Stockholm")).toEqual({
      channelId: "4", triggers: ["opened"], codes: "4.4.316, 5.7.1", connectorIds: ["9"], severities: ["LOW"], dailyLimit: 20, groupMinutes: 3, timeZone: "UTC",
    });
    expect(ruleFormDefaults(null, "Europe/Stockholm")).toMatchObject({ channelId: undefined, codes: "", dailyLimit: 100, groupMinutes: 5, timeZone: "Europe/Stockholm" });
  });
});

describe("invalidRuleFields", () => {
  it("names the inputs of a refusal's issues, an item of a list as its list; other issues name none", () => {
    expect([...invalidRuleFields([{ field: "dailyLimit" }, { field: "codes.2" }, { field: "timeZone" }, { field: "" }, { field: "enabled" }])])
      .toEqual(["dailyLimit", "codes", "timeZone"]);
  });
});
