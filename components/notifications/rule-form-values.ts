import type { RuleCreate, RuleView } from "@/lib/notify/schemas";

// Pure: the rule form's inputs to the API's body, and the API's refusal to the inputs it names.
// The server's issue texts are English; the form shows its own text per field instead, in the
// page's language (notifySettings.rules.invalid.<field>).

export const RULE_FORM_FIELDS = ["channelId", "triggers", "codes", "connectorIds", "severities", "dailyLimit", "groupMinutes", "timeZone"] as const;
export type RuleFormField = (typeof RULE_FORM_FIELDS)[number];

/** The body of a new rule or of a saved one's change: every field, as the form holds it. */
export function ruleBody(data: FormData): Required<Omit<RuleCreate, "enabled">> {
  return {
    channelId: whole(data.get("channelId")),
    triggers: data.getAll("triggers").map(String) as NonNullable<RuleCreate["triggers"]>,
    codes: splitList(String(data.get("codes") ?? "")),
    connectorIds: data.getAll("connectorIds").map(Number),
    severities: data.getAll("severities").map(String) as NonNullable<RuleCreate["severities"]>,
    dailyLimit: whole(data.get("dailyLimit")),
    groupMinutes: whole(data.get("groupMinutes")),
    timeZone: String(data.get("timeZone") ?? "").trim(),
  };
}

/** What the inputs start with: a saved rule's values, or a new rule's defaults. */
export function ruleFormDefaults(rule: RuleView | null, zone: string) {
  return {
    channelId: rule ? String(rule.channelId) : undefined,
    triggers: rule?.triggers ?? [],
    codes: rule?.codes.join(", ") ?? "",
    connectorIds: rule?.connectorIds.map(String) ?? [],
    severities: rule?.severities ?? [],
    dailyLimit: rule?.dailyLimit ?? 100,
    groupMinutes: rule?.groupMinutes ?? 5,
    timeZone: rule?.timeZone ?? zone,
  };
}

/** The form's fields a refusal names (`codes.2` is the codes field); issues of no field are dropped. */
export function invalidRuleFields(issues: readonly { field: string }[]): Set<RuleFormField> {
  const fields = new Set<RuleFormField>();
  for (const issue of issues) {
    const head = issue.field.split(".")[0];
    const field = RULE_FORM_FIELDS.find((f) => f === head);
    if (field) fields.add(field);
  }
  return fields;
}

/** Codes as typed, separated by commas, semicolons or spaces. */
function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** A number input's value as typed; not a whole number (empty, 1.5, text) becomes NaN, which the API refuses at its field. */
function whole(value: FormDataEntryValue | null): number {
  const text = String(value ?? "").trim();
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}
