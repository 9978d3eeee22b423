import type { DomainType } from "@/lib/db/enums";
import { domainNameSchema } from "@/lib/organisation/connector-fields";
import { domainText, FieldProblem, prop, readEnum, type EnumTable, type PsObject } from "@/lib/organisation/exchange/values";

// Pure: one object of `Get-AcceptedDomain | ConvertTo-Json` as the product's accepted domain.
// Its DomainName is the identity (Name is only a display name in Exchange).

// Exchange's AcceptedDomainType enum.
const DOMAIN_TYPE: EnumTable<DomainType> = {
  what: "domain type",
  names: { Authoritative: "AUTHORITATIVE", ExternalRelay: "EXTERNAL_RELAY", InternalRelay: "INTERNAL_RELAY" },
  numbers: { 0: "AUTHORITATIVE", 1: "EXTERNAL_RELAY", 2: "INTERNAL_RELAY" },
};

export type TenantDomain = { name: string; type: DomainType };

/** The domain's name as written, for messages about the object before it is checked. */
export function domainLabel(obj: PsObject): string | null {
  try {
    return domainText(prop(obj, "DomainName"), "DomainName");
  } catch {
    return null;
  }
}

export function mapDomain(obj: PsObject): TenantDomain {
  const type = readEnum(obj, "DomainType", DOMAIN_TYPE);
  const parsed = domainNameSchema.safeParse(domainText(prop(obj, "DomainName"), "DomainName") ?? "");
  if (!parsed.success) throw new FieldProblem("DomainName", parsed.error.issues[0]!.message);
  return { name: parsed.data, type };
}
