import type { ConnectorKind, TlsMode } from "@/lib/db/enums";
import { connectorFieldsSchema, connectorRuleIssues, type ConnectorFields } from "@/lib/organisation/connector-fields";
import { domainText, FieldProblem, isPsObject, prop, readBoolean, readEnum, readList, readText, type EnumTable, type PsObject } from "@/lib/organisation/exchange/values";

// Pure: one object of `Get-OutboundConnector | ConvertTo-Json` as the product's connector
// fields, checked by the same rules as a connector entered in the product. Problems name
// Exchange's property, since that is what the admin sees in the file.

// Exchange's TenantConnectorType and TlsAuthLevel enums; TlsSettings null means no TLS demand.
const CONNECTOR_TYPE: EnumTable<ConnectorKind> = {
  what: "connector type",
  names: { OnPremises: "ON_PREMISES", Partner: "PARTNER" },
  numbers: { 1: "ON_PREMISES", 2: "PARTNER" },
};
const TLS_SETTINGS: EnumTable<TlsMode> = {
  what: "TLS setting",
  names: { EncryptionOnly: "ENCRYPTION_ONLY", CertificateValidation: "CERTIFICATE_VALIDATION", DomainValidation: "DOMAIN_VALIDATION" },
  numbers: { 1: "ENCRYPTION_ONLY", 2: "CERTIFICATE_VALIDATION", 4: "DOMAIN_VALIDATION" },
};

const EXCHANGE_FIELD: Record<keyof ConnectorFields, string> = {
  name: "Name",
  comment: "Comment",
  kind: "ConnectorType",
  enabled: "Enabled",
  useMxRecord: "UseMXRecord",
  smartHosts: "SmartHosts",
  recipientDomains: "RecipientDomains",
  tlsMode: "TlsSettings",
  tlsDomain: "TlsDomain",
};

/** The connector's Name as written, for messages about the object before it is checked. */
export function connectorLabel(obj: PsObject): string | null {
  const name = prop(obj, "Name");
  return typeof name === "string" ? name : null;
}

export function mapConnector(obj: PsObject): ConnectorFields {
  const raw = {
    name: readText(prop(obj, "Name"), "Name") ?? "",
    comment: emptyToNull(readText(prop(obj, "Comment"), "Comment")),
    kind: readEnum(obj, "ConnectorType", CONNECTOR_TYPE),
    enabled: readBoolean(obj, "Enabled"),
    useMxRecord: readBoolean(obj, "UseMXRecord"),
    smartHosts: readList(prop(obj, "SmartHosts")).map(smartHostText),
    recipientDomains: readList(prop(obj, "RecipientDomains")).map((d) => domainText(d, "RecipientDomains") ?? ""),
    tlsMode: readEnum(obj, "TlsSettings", TLS_SETTINGS, "OPPORTUNISTIC"),
    tlsDomain: emptyToNull(domainText(prop(obj, "TlsDomain"), "TlsDomain")),
  };
  const parsed = connectorFieldsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FieldProblem(EXCHANGE_FIELD[issue.path[0] as keyof ConnectorFields] ?? String(issue.path[0]), issue.message);
  }
  const [rule] = connectorRuleIssues(parsed.data);
  if (rule) throw new FieldProblem(EXCHANGE_FIELD[rule.field as keyof ConnectorFields] ?? rule.field, rule.message);
  return parsed.data;
}

/** A smart host: a string, or a SmartHost object (Address when IsIPAddress, else Domain). */
function smartHostText(value: unknown): string {
  if (!isPsObject(value)) return readText(value, "SmartHosts") ?? "";
  const address = readText(prop(value, "Address"), "SmartHosts", ["IPAddressToString"]);
  const domain = readText(prop(value, "Domain"), "SmartHosts", ["HostnameString"]);
  const ip = prop(value, "IsIPAddress") === true ? address : null;
  // The product writes an IPv6 smart host in brackets (it may carry a port after them).
  if (ip !== null) return ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
  const host = domain ?? address;
  if (host === null) throw new FieldProblem("SmartHosts", "an entry has neither an Address nor a Domain");
  return host;
}

function emptyToNull(value: string | null): string | null {
  return value === null || value.trim() === "" ? null : value;
}
