import type { ConnectorFields } from "@/lib/organisation/connector-fields";
import { EXCHANGE_COMMANDS } from "@/lib/organisation/exchange/commands";
import { decodeText } from "@/lib/text/encoding";
import { connectorLabel, mapConnector } from "@/lib/organisation/exchange/map-connector";
import { domainLabel, mapDomain, type TenantDomain } from "@/lib/organisation/exchange/map-domain";
import { describe, FieldProblem, hasProp, isPsObject, prop, type PsObject } from "@/lib/organisation/exchange/values";
import { AppError, type FieldIssue } from "@/lib/http/errors";

// Pure: the files an admin gives the import (docs/organisation.md, "Reading the files") as the
// tenant's connectors and accepted domains. Which cmdlet wrote a file is read from its fields;
// every object is checked by the product's field rules, and the first problems are named with
// the file, the object's place and its name. A file with any problem refuses the whole import.

export const IMPORT_LIMITS = { files: 10, fileBytes: 5 * 1024 * 1024, objectsPerFile: 1000, connectors: 1000, domains: 1000 } as const;
/** Problems listed in one answer; enough to fix a file, short enough to read. */
const MAX_ISSUES = 20;

export type ExchangeFile = Readonly<{ name: string; bytes: Uint8Array }>;
export type { TenantDomain };

/** What the files show of the tenant; null where no file held that kind of object. */
export type TenantState = { files: string[]; connectors: ConnectorFields[] | null; domains: TenantDomain[] | null };

type FileKind = "connectors" | "domains";

export function readExchangeFiles(files: readonly ExchangeFile[]): TenantState {
  if (files.length === 0) throw new AppError({ code: "bad_request", status: 400, message: `Give the output of ${EXCHANGE_COMMANDS.length} commands as files: ${EXCHANGE_COMMANDS.join("; ")}.` });
  if (files.length > IMPORT_LIMITS.files) {
    throw new AppError({ code: "bad_request", status: 400, message: `At most ${IMPORT_LIMITS.files} files are read at once; ${files.length} were given.` });
  }
  const names = files.map((f, i) => fileLabel(f.name, i));
  files.forEach((file, i) => {
    if (file.bytes.byteLength > IMPORT_LIMITS.fileBytes) {
      throw new AppError({ code: "payload_too_large", status: 413, message: `${names[i]} is larger than 5 MB, the most one file may hold; Exchange's output for a tenant is far smaller.` });
    }
  });

  const issues: FieldIssue[] = [];
  const tenant: TenantState = { files: names, connectors: null, domains: null };
  files.forEach((file, i) => {
    const read = readFile(names[i]!, file.bytes, issues);
    if (!read) return;
    if (read.kind === "connectors") tenant.connectors = [...(tenant.connectors ?? []), ...(read.items as ConnectorFields[])];
    if (read.kind === "domains") tenant.domains = [...(tenant.domains ?? []), ...(read.items as TenantDomain[])];
  });
  if (issues.length === 0) issues.push(...totalIssues(tenant), ...duplicateIssues(tenant));
  if (issues.length > 0) throw refusal(issues);
  return tenant;
}

/** Limits across all files, so ten full files cannot add up to more than one apply can take. */
function totalIssues(tenant: TenantState): FieldIssue[] {
  const over = (what: string, count: number, max: number) =>
    count > max ? [{ field: what, message: `The files hold ${count} ${what}; at most ${max} are imported at once` }] : [];
  return [
    ...over("connectors", tenant.connectors?.length ?? 0, IMPORT_LIMITS.connectors),
    ...over("accepted domains", tenant.domains?.length ?? 0, IMPORT_LIMITS.domains),
  ];
}

type ReadFile = { kind: FileKind; items: (ConnectorFields | TenantDomain)[] } | null;

function readFile(name: string, bytes: Uint8Array, issues: FieldIssue[]): ReadFile {
  const fileProblem = (message: string) => {
    issues.push({ field: name, message: `${name} ${message}` });
    return null;
  };
  const decoded = decodeText(bytes, "save the PowerShell output as it was written (UTF-8 or UTF-16)");
  if (!decoded.ok) return fileProblem(decoded.message);
  const objects = topLevelObjects(decoded.text);
  if (typeof objects === "string") return fileProblem(objects);
  if (objects.length > IMPORT_LIMITS.objectsPerFile) {
    return fileProblem(`holds ${objects.length.toLocaleString("en")} objects; at most ${IMPORT_LIMITS.objectsPerFile.toLocaleString("en")} per file are read (a tenant has far fewer connectors and accepted domains)`);
  }
  if (objects.length === 0) return null;
  const kind = fileKind(objects);
  if (typeof kind === "string" && kind !== "connectors" && kind !== "domains") return fileProblem(kind);
  const map = kind === "connectors" ? mapConnector : mapDomain;
  const label = kind === "connectors" ? connectorLabel : domainLabel;
  const items: (ConnectorFields | TenantDomain)[] = [];
  objects.forEach((obj, i) => {
    try {
      items.push(map(obj));
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      const named = label(obj);
      issues.push({ field: `${name}[${i}].${error.field}`, message: `${name}, object ${i + 1}${named === null ? "" : ` (${describe(named)})`}: ${error.field} ${error.message}` });
    }
  });
  return { kind: kind as FileKind, items };
}

/** The objects of a file: one object or an array; an empty file or `null` holds none. */
function topLevelObjects(text: string): PsObject[] | string {
  if (text.trim() === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `is not JSON (${(error as Error).message.slice(0, 120)}); run the command with | ConvertTo-Json -Depth 4`;
  }
  if (value === null) return [];
  // Windows PowerShell 5.1 may wrap an array as {"value": […], "Count": n}.
  if (isPsObject(value) && Array.isArray(prop(value, "value")) && hasProp(value, "Count")) value = prop(value, "value");
  const list = Array.isArray(value) ? value : [value];
  const bad = list.findIndex((item) => !isPsObject(item));
  if (bad >= 0) return `is not the output of ConvertTo-Json on Exchange objects: item ${bad + 1} is ${describe(list[bad])}, not an object`;
  return list as PsObject[];
}

const INBOUND_FIELDS = ["SenderDomains", "SenderIPAddresses"];
const OUTBOUND_FIELDS = ["RecipientDomains", "SmartHosts", "UseMXRecord"];

/** Which cmdlet wrote the objects, or why the file is refused. */
function fileKind(objects: readonly PsObject[]): FileKind | string {
  const kinds = objects.map((obj) => {
    if (INBOUND_FIELDS.some((f) => hasProp(obj, f))) return "inbound";
    if (OUTBOUND_FIELDS.some((f) => hasProp(obj, f))) return "connectors";
    if (hasProp(obj, "DomainName") && hasProp(obj, "DomainType")) return "domains";
    return "unknown";
  });
  if (kinds.includes("inbound")) {
    return `holds inbound connectors (Get-InboundConnector); the import reads outbound connectors: run ${EXCHANGE_COMMANDS[0]}`;
  }
  const unknown = kinds.indexOf("unknown");
  if (unknown >= 0) {
    return `is not the output of Get-OutboundConnector or Get-AcceptedDomain (object ${unknown + 1} has neither RecipientDomains/SmartHosts/UseMXRecord nor DomainName and DomainType)`;
  }
  const mixed = kinds.findIndex((k) => k !== kinds[0]);
  if (mixed >= 0) return `mixes outbound connectors and accepted domains (object ${mixed + 1}); give each command's output in a file of its own`;
  return kinds[0] as FileKind;
}

/** Names appear once across all files: connectors case-insensitively, as Exchange compares them. */
function duplicateIssues(tenant: TenantState): FieldIssue[] {
  const twice = (what: string, names: readonly string[]) => {
    const seen = new Set<string>();
    const issues: FieldIssue[] = [];
    for (const name of names) {
      const key = name.toLowerCase();
      if (seen.has(key)) issues.push({ field: what, message: `${what} ${describe(name)} appears more than once in the files; each name may appear once` });
      seen.add(key);
    }
    return issues;
  };
  return [...twice("connector", (tenant.connectors ?? []).map((c) => c.name)), ...twice("accepted domain", (tenant.domains ?? []).map((d) => d.name))];
}

function refusal(issues: readonly FieldIssue[]): AppError {
  const shown = issues.slice(0, MAX_ISSUES);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new AppError({ code: "validation_failed", status: 400, message: `${shown[0]!.message}${more}. Nothing was imported.`, issues: shown });
}

/** A file's name for messages: its last path segment, printable and short. */
function fileLabel(name: string, index: number): string {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "").trim();
  if (base === "") return `file ${index + 1}`;
  return base.length > 100 ? `${base.slice(0, 97)}…` : base;
}
