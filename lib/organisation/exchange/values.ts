// Pure: the shapes PowerShell gives a property when ConvertTo-Json writes an Exchange object.
// The same property may arrive as a string, a number, an object wrapping the value or a list,
// depending on the PowerShell version and on whether the session was remote; each reader here
// accepts all of them and refuses anything else with a message that names the property.

export type PsObject = Readonly<Record<string, unknown>>;

/** A property of one object was refused; the reader of the file adds which object. */
export class FieldProblem extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "FieldProblem";
    this.field = field;
  }
}

export function isPsObject(value: unknown): value is PsObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A property by name; PowerShell's property names are case-insensitive. */
export function prop(obj: PsObject, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

export function hasProp(obj: PsObject, name: string): boolean {
  return prop(obj, name) !== undefined;
}

/** true/false, or the strings "True"/"False" a deserialised or CSV-shaped value carries. */
export function readBoolean(obj: PsObject, field: string): boolean | undefined {
  const value = prop(obj, field);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw new FieldProblem(field, `${describe(value)} is not true or false`);
}

/**
 * A text value: a string, or an object wrapping one under one of `keys` (e.g. a Hostname's
 * HostnameString, an IP address's IPAddressToString). Null and absent are null.
 */
export function readText(value: unknown, field: string, keys: readonly string[] = []): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (isPsObject(value)) {
    for (const key of keys) {
      const inner = prop(value, key);
      if (inner !== undefined && inner !== null) return readText(inner, field, keys);
    }
  }
  throw new FieldProblem(field, `${describe(value)} is not text`);
}

/**
 * A domain as Exchange's SmtpDomainWithSubdomains writes it: a string, or an object whose
 * Address carries the wildcard (`*.contoso.com`), or a Domain with IncludeSubDomains.
 */
export function domainText(value: unknown, field: string): string | null {
  if (!isPsObject(value)) return readText(value, field);
  const address = prop(value, "Address");
  if (typeof address === "string" && address !== "") return address;
  const domain = readText(prop(value, "Domain"), field, ["Domain"]);
  if (domain === null) throw new FieldProblem(field, "an entry has neither an Address nor a Domain");
  return prop(value, "IncludeSubDomains") === true && domain !== "*" ? `*.${domain}` : domain;
}

/**
 * A multi-valued property: an array, one value on its own, or an object wrapping the values
 * (`{"value": […], "Count": n}` from Windows PowerShell 5.1, or another object whose one list
 * is the values). Null, absent and an empty string are the empty list.
 */
export function readList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value;
  if (!isPsObject(value)) return [value];
  const wrapped = prop(value, "value") ?? prop(value, "Values");
  if (Array.isArray(wrapped)) return wrapped;
  const lists = Object.values(value).filter(Array.isArray);
  if (lists.length === 1) return lists[0]!;
  if (prop(value, "Count") === 0) return [];
  // A single structured value (a SmartHost, a domain with its subdomain flag) on its own.
  return [value];
}

export type EnumTable<T extends string> = Readonly<{ what: string; names: Readonly<Record<string, T>>; numbers: Readonly<Record<number, T>> }>;

/**
 * An enum by its name (any case) or its numeric value, as Exchange defines them. `whenNull` is
 * what null or absent means (TlsSettings: none); without it they are refused.
 */
export function readEnum<T extends string>(obj: PsObject, field: string, table: EnumTable<T>, whenNull?: T): T {
  const value = prop(obj, field);
  if (value === undefined || value === null || value === "") {
    if (whenNull !== undefined) return whenNull;
    throw new FieldProblem(field, "is missing");
  }
  const known = `${Object.keys(table.names).join(", ")}, or ${Object.entries(table.numbers).map(([n, v]) => `${n} (${nameOf(table, v)})`).join(", ")}`;
  if (typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value.trim()))) {
    const mapped = table.numbers[Number(value)];
    if (mapped !== undefined) return mapped;
    throw new FieldProblem(field, `${value} is not a ${table.what} Exchange defines (${known})`);
  }
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    const key = Object.keys(table.names).find((name) => name.toLowerCase() === lower);
    if (key !== undefined) return table.names[key]!;
  }
  throw new FieldProblem(field, `${describe(value)} is not a ${table.what} Exchange defines (${known})`);
}

/** A value for a message: short, and without control characters that could break a terminal. */
export function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean;
}

function nameOf<T extends string>(table: EnumTable<T>, value: T): string {
  return Object.keys(table.names).find((name) => table.names[name] === value) ?? value;
}
