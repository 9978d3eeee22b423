// Pure: which of an accepted domain's audited changes belong on a connector's timeline. A domain
// can move between connectors and be removed, so "its domains" changes over time: a change shows
// on the connector the domain relayed through when it was made, and a move (or an add or remove
// naming a connector) on each connector it names. Entries that name no connector, such as Fix
// now's domain.type, belong to wherever the domain was at the time.

export type DomainAuditEntry = Readonly<{ targetId: string; before: unknown; after: unknown }>;

/**
 * The entries of `connectorId`'s timeline, in the order given. `entries` are all changes of the
 * domains concerned from some time on, oldest first; `relayNow` gives each domain's connector
 * now (null: none, or the domain is gone).
 */
export function domainEntriesOf<E extends DomainAuditEntry>(connectorId: number, entries: readonly E[], relayNow: (domainId: string) => number | null): E[] {
  const shown = new Set<E>();
  const relayAfter = new Map<string, number | null>();
  // Newest first: where a domain was after an entry is known from the entries that follow it.
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    const after = relayAfter.has(entry.targetId) ? relayAfter.get(entry.targetId)! : relayNow(entry.targetId);
    const named = [connectorNamed(entry.before), connectorNamed(entry.after)];
    const names = named.some((c) => c !== undefined);
    if (names ? named.includes(connectorId) : after === connectorId) shown.add(entry);
    const before = connectorNamed(entry.before);
    relayAfter.set(entry.targetId, before === undefined ? after : before);
  }
  return entries.filter((e) => shown.has(e));
}

/** The connector id a before/after record names; undefined when it says nothing about it. */
function connectorNamed(record: unknown): number | null | undefined {
  if (!record || typeof record !== "object" || !("connectorId" in record)) return undefined;
  const id = (record as { connectorId: unknown }).connectorId;
  return typeof id === "number" ? id : null;
}
