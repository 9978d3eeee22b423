import { ENUM_FIELDS, type ApplyResult, type FieldValue, type ImportConflict, type ImportPreview } from "@/lib/organisation/import-schemas";

// Pure: the import's preview and result as lines of text, for `npm run org:import`.

export function previewLines(preview: ImportPreview): string[] {
  const lines = [`Files: ${preview.files.join(", ")}`];
  if (preview.connectors) lines.push("", ...sectionLines("Connectors", preview.connectors));
  if (preview.domains) lines.push("", ...sectionLines("Accepted domains", preview.domains));
  if (!preview.connectors && !preview.domains) lines.push("", "The files hold no connectors and no accepted domains.");
  if (preview.conflicts.length > 0) {
    lines.push("", `Conflicts with a change pending in Exchange Online: ${preview.conflicts.length}`);
    for (const conflict of preview.conflicts) lines.push(...conflictLines(conflict));
  }
  for (const c of preview.confirmations) lines.push("", `Confirmed in Exchange Online: ${remediationName(c)}`);
  return lines;
}

export function resultLine(result: ApplyResult): string {
  const c = result.counts;
  return [
    `Applied: connectors ${c.connectorsAdded} added, ${c.connectorsChanged} changed; accepted domains ${c.domainsAdded} added, ${c.domainsChanged} changed`,
    c.confirmed > 0 ? `; ${c.confirmed} pending change(s) confirmed` : "",
    c.undone > 0 ? `; ${c.undone} Fix now undone` : "",
    c.kept > 0 ? `; ${c.kept} conflict(s) kept as the product has them` : "",
    ".",
  ].join("");
}

type Section = Readonly<{
  added: readonly { name: string; values: readonly { field: string; value: FieldValue }[] }[];
  changed: readonly { name: string; changes: readonly { field: string; before: FieldValue; after: FieldValue }[] }[];
  unchanged: readonly string[];
  onlyHere: readonly string[];
  retired?: readonly string[];
}>;

function sectionLines(title: string, s: Section): string[] {
  const retired = s.retired ?? [];
  const lines = [`${title}: ${s.added.length} to add, ${s.changed.length} to change, ${s.unchanged.length} unchanged, ${s.onlyHere.length} only here (kept)${retired.length > 0 ? `, ${retired.length} retired here (left retired)` : ""}`];
  for (const added of s.added) lines.push(`  + ${added.name}: ${added.values.map((v) => `${v.field} ${text(v.value, v.field)}`).join("; ")}`);
  for (const changed of s.changed) {
    lines.push(`  ~ ${changed.name}`);
    for (const c of changed.changes) lines.push(`      ${c.field}: ${text(c.before, c.field)} → ${text(c.after, c.field)}`);
  }
  if (s.unchanged.length > 0) lines.push(`  = ${s.unchanged.join(", ")}`);
  if (s.onlyHere.length > 0) lines.push(`  only here, kept: ${s.onlyHere.join(", ")}`);
  if (retired.length > 0) lines.push(`  retired here, left retired: ${retired.join(", ")}`);
  return lines;
}

function conflictLines(conflict: ImportConflict): string[] {
  return [
    `  ! ${remediationName(conflict)} is pending in Exchange Online, but the files show otherwise:`,
    ...conflict.fields.map((f) => `      ${f.target} ${f.name} ${f.field}: here ${text(f.product, f.field)}, in Exchange Online ${text(f.tenant, f.field)}`),
  ];
}

function remediationName(r: Readonly<{ remediationId: number; alertId: number; connector: string; undone: boolean }>): string {
  return `${r.undone ? "the Undo of " : ""}Fix now ${r.remediationId} on alert ${r.alertId} (connector "${r.connector}")`;
}

const LABELS: Readonly<Record<string, string>> = {
  ON_PREMISES: "your organisation's email server",
  PARTNER: "partner organisation",
  OPPORTUNISTIC: "none",
  ENCRYPTION_ONLY: "encryption only",
  CERTIFICATE_VALIDATION: "certificate validation",
  DOMAIN_VALIDATION: "domain validation",
  AUTHORITATIVE: "Authoritative",
  INTERNAL_RELAY: "Internal relay",
  EXTERNAL_RELAY: "External relay",
};

/** A value for a terminal: enum values in words, text with its control characters escaped. */
function text(value: FieldValue, field: string): string {
  if (value === null) return "(none)";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.join(", ");
  if (ENUM_FIELDS.has(field)) return LABELS[value] ?? value;
  return JSON.stringify(value);
}
