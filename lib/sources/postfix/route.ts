import { checkSmartHost } from "@/lib/organisation/connector-fields";
import { routeRecipientDomain, type RoutableConnector } from "@/lib/organisation/route-match";

// Pure: which connector a Postfix delivery went through. The recipient's domain against the
// connectors' recipient domains first (the most specific wins, as everywhere), else the relay
// Postfix named (`mail.contoso.se[203.0.113.25]:25`) against their smart hosts, by host name or
// IP address, and by port where the smart host writes one.

/**
 * The connector of a recipient domain and the relay (`host[ip]:port`, null for `relay=none`), or
 * null. `exactRelay`: only a connector whose smart host names this relay with its port (a relay on
 * the host itself, such as a content filter on 127.0.0.1:10024, is a connector's only if one says so).
 */
export type PostfixRouter = (recipientDomain: string, relay: string | null, exactRelay?: boolean) => number | null;

export type PostfixConnector = RoutableConnector & Readonly<{ smartHosts: readonly string[] }>;

export function postfixRouter(connectors: readonly PostfixConnector[]): PostfixRouter {
  // Enabled before disabled, then the lower id: the tie-break routeRecipientDomain uses.
  const bySmartHost = connectors
    .filter((c) => !c.retired)
    .toSorted((a, b) => Number(b.enabled) - Number(a.enabled) || a.id - b.id)
    .map((c) => ({ id: c.id, hosts: c.smartHosts.flatMap((written) => splitSmartHost(written) ?? []) }));
  return (recipientDomain, relay, exactRelay = false) => {
    const peer = relay === null ? null : splitRelay(relay);
    if (exactRelay) {
      const named = peer ? bySmartHost.filter((c) => c.hosts.some((h) => matches(h, peer) && h.port !== null && h.port === peer.port)) : [];
      // Two connectors naming the same relay: the one that also routes the recipient's domain.
      const byDomain = routeRecipientDomain(recipientDomain, connectors.filter((c) => named.some((n) => n.id === c.id)));
      return byDomain?.id ?? named[0]?.id ?? null;
    }
    const byDomain = routeRecipientDomain(recipientDomain, connectors);
    if (byDomain) return byDomain.id;
    if (!peer) return null;
    return bySmartHost.find((c) => c.hosts.some((h) => matches(h, peer)))?.id ?? null;
  };
}

type Peer = { name: string; address: string | null; port: number | null };
type SmartHost = { host: string; port: number | null };

/** `mail.contoso.se[203.0.113.25]:25`, `[2001:db8::25]:25` or a bare `mail.contoso.se`. */
function splitRelay(relay: string): Peer | null {
  const m = /^([^[\]\s]*)(?:\[([^\]]*)\])?(?::(\d{1,5}))?$/.exec(relay.trim().toLowerCase());
  if (!m) return null;
  return { name: (m[1] ?? "").replace(/\.$/, ""), address: m[2] ?? null, port: m[3] ? Number(m[3]) : null };
}

/** A smart host as a connector writes it (`mail.contoso.se`, `192.0.2.25:2525`, `[2001:db8::25]`). */
function splitSmartHost(written: string): SmartHost | null {
  const checked = checkSmartHost(written);
  if (!checked.ok) return null;
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(checked.value) ?? /^([^:]+)(?::(\d+))?$/.exec(checked.value);
  return m ? { host: m[1] ?? "", port: m[2] ? Number(m[2]) : null } : null;
}

function matches(smartHost: SmartHost, peer: Peer): boolean {
  const sameHost = smartHost.host === peer.name || smartHost.host === peer.address;
  return sameHost && (smartHost.port === null || peer.port === null || smartHost.port === peer.port);
}
