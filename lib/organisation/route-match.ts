// Pure: which connector routes mail for a recipient domain. Recipient domains may overlap
// between connectors; as in Exchange the most specific pattern wins: an exact domain over any
// wildcard, a longer wildcard over a shorter one, `*` last. `*.contoso.com` covers contoso.com's
// subdomains, not contoso.com itself. Every source that maps an event to a connector by its
// recipient, and the import naming a relay domain's connector, use this one function.

export type RoutableConnector = Readonly<{ id: number; enabled: boolean; retired: boolean; recipientDomains: readonly string[] }>;

/** How specific `pattern` is for `domain`: higher wins; null when it does not match. */
export function matchSpecificity(pattern: string, domain: string): number | null {
  const p = pattern.toLowerCase();
  const d = domain.toLowerCase().replace(/\.$/, "");
  if (p === "*") return 0;
  if (p.startsWith("*.")) {
    const suffix = p.slice(1);
    return d.endsWith(suffix) && d.length > suffix.length ? suffix.length : null;
  }
  // An exact domain beats every wildcard, however long.
  return p === d ? Number.MAX_SAFE_INTEGER : null;
}

/**
 * The connector that routes `domain`, or null. Retired connectors route nothing. Ties (the same
 * pattern on two connectors) go to the enabled one, then to the lower id, so the answer never
 * depends on the order of rows.
 */
export function routeRecipientDomain<C extends RoutableConnector>(domain: string, connectors: readonly C[]): C | null {
  let best: { connector: C; score: number } | null = null;
  for (const connector of connectors) {
    if (connector.retired) continue;
    const score = Math.max(-1, ...connector.recipientDomains.map((p) => matchSpecificity(p, domain) ?? -1));
    if (score < 0) continue;
    if (!best || score > best.score || (score === best.score && beats(connector, best.connector))) best = { connector, score };
  }
  return best?.connector ?? null;
}

function beats(a: RoutableConnector, b: RoutableConnector): boolean {
  if (a.enabled !== b.enabled) return a.enabled;
  return a.id < b.id;
}
