// Pure: what an edit of a connector or an accepted domain changes, as the audit records it
// (before and after hold only the fields that changed), and the action it is audited as.

type Value = string | number | boolean | null | readonly string[];

export type FieldChanges<T> = { before: Partial<T>; after: Partial<T>; fields: (keyof T & string)[] };

/** The fields of `patch` whose value differs from `current`; null when nothing changes. */
export function changedFields<T extends Record<string, Value>>(current: Readonly<T>, patch: Readonly<Partial<T>>): FieldChanges<T> | null {
  const before: Partial<T> = {};
  const after: Partial<T> = {};
  const fields: (keyof T & string)[] = [];
  for (const key of Object.keys(patch) as (keyof T & string)[]) {
    const next = patch[key];
    if (next === undefined || sameValue(current[key], next)) continue;
    before[key] = current[key];
    after[key] = next;
    fields.push(key);
  }
  return fields.length === 0 ? null : { before, after, fields };
}

/**
 * A change of `enabled` alone is audited as connector.enable or connector.disable, the actions
 * Fix now and Undo write too, so a timeline reads them the same; anything else is connector.update.
 */
export function connectorChangeAction(changes: Readonly<{ fields: readonly string[]; after: Readonly<{ enabled?: boolean }> }>): "connector.enable" | "connector.disable" | "connector.update" {
  if (changes.fields.length !== 1 || changes.fields[0] !== "enabled") return "connector.update";
  return changes.after.enabled ? "connector.enable" : "connector.disable";
}

function sameValue(a: Value | undefined, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
