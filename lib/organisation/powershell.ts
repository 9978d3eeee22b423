// Pure: the Exchange Online PowerShell that applies a change the product recorded, so the admin
// makes the same change in the tenant. Values are PowerShell single-quoted strings: inside them
// `$` and backticks are literal, and a single quote is written twice. PowerShell also takes the
// typographic single quotes (U+2018, U+2019, U+201A, U+201B) as quote characters, so those are
// doubled too: a name can never end the string early.

const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

export function psQuote(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

export type PsDomainType = "Authoritative" | "InternalRelay" | "ExternalRelay";

export function setConnectorEnabled(connectorName: string, enabled: boolean): string {
  return `Set-OutboundConnector -Identity ${psQuote(connectorName)} -Enabled ${enabled ? "$true" : "$false"}`;
}

export function setDomainType(domainName: string, type: PsDomainType): string {
  return `Set-AcceptedDomain -Identity ${psQuote(domainName)} -DomainType ${type}`;
}

/** Fix now in the tenant: disable the connector, make its relay domains Authoritative. */
export function fixNowCommands(connectorName: string, domainNames: readonly string[]): string[] {
  return [setConnectorEnabled(connectorName, false), ...domainNames.map((d) => setDomainType(d, "Authoritative"))];
}

/** Undo in the tenant: the connector as it was, the domains back to Internal relay. */
export function undoCommands(connectorName: string, enabledBefore: boolean, domainNames: readonly string[]): string[] {
  return [setConnectorEnabled(connectorName, enabledBefore), ...domainNames.map((d) => setDomainType(d, "InternalRelay"))];
}
