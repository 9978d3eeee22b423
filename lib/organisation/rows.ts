import "server-only";
import type { ConnectorRecord } from "@/lib/connectors/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFound } from "@/lib/http/errors";
import type { ConnectorFields, ConnectorSettings } from "@/lib/organisation/connector-fields";
import { retiredDay } from "@/lib/organisation/retired";

// Row locks shared by the connector and domain services. Every write locks connectors before
// accepted domains, as ingest and Fix now do, so concurrent writers queue instead of deadlocking.
export type Tx = Prisma.TransactionClient;

export type ConnectorRow = Prisma.ConnectorGetPayload<object>;

/**
 * Locks a connector and reads it: FOR UPDATE to change it, FOR SHARE to rely on it staying as it
 * is (a domain relaying through it: nobody retires or deletes it before the commit). Null when
 * there is none.
 */
export async function findLockedConnector(tx: Tx, id: number, mode: "update" | "share"): Promise<ConnectorRow | null> {
  const locked = mode === "update"
    ? await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Connector" WHERE id = ${id} FOR UPDATE`
    : await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Connector" WHERE id = ${id} FOR SHARE`;
  return locked.length > 0 ? tx.connector.findUnique({ where: { id } }) : null;
}

/** The connector, locked FOR UPDATE; 404 when there is none. */
export async function lockConnector(tx: Tx, id: number): Promise<ConnectorRow> {
  const row = await findLockedConnector(tx, id, "update");
  if (!row) throw notFound(`Connector ${id}`);
  return row;
}

/**
 * Connector names are unique ignoring case, as in Exchange, which a unique index on the column
 * cannot say: writers that set a name take this lock first, so two of them never both find a
 * name free. Held to the end of the transaction.
 */
export async function lockConnectorNames(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CONNECTOR_NAMES_LOCK_KEY}::bigint)`;
}

/** A 409 for a change to a retired connector: it is history, not configuration. */
export function refuseRetired(connector: Pick<ConnectorRow, "name" | "retiredAt" | "retiredBy">, what: string): void {
  if (!connector.retiredAt) return;
  const by = connector.retiredBy ? ` by ${connector.retiredBy}` : "";
  throw conflict(`"${connector.name}" was retired on ${retiredDay(connector.retiredAt)}${by}, so ${what}; restore it first if it is in use again.`);
}

/** A connector row as the API answers it. */
export function connectorRecord(row: ConnectorRow): ConnectorRecord {
  return { id: row.id, ...connectorSettingsOf(row), retiredAt: row.retiredAt?.toISOString() ?? null, retiredBy: row.retiredBy, demo: row.demo };
}

/** The fields and the product's own settings of a connector, as stored: what an admin edits. */
export function connectorSettingsOf(row: ConnectorRow): ConnectorSettings {
  return { ...connectorFieldsOf(row), queueLifetimeMinutes: row.queueLifetimeMinutes };
}

/** The fields a connector shares with an Exchange Online outbound connector, as stored. */
export function connectorFieldsOf(row: ConnectorRow): ConnectorFields {
  return {
    name: row.name,
    comment: row.comment,
    kind: row.kind,
    enabled: row.enabled,
    useMxRecord: row.useMxRecord,
    smartHosts: row.smartHosts,
    recipientDomains: row.recipientDomains,
    tlsMode: row.tlsMode,
    tlsDomain: row.tlsDomain,
  };
}

/** An arbitrary constant, distinct from the demo seed's and the migration runner's lock keys. */
const CONNECTOR_NAMES_LOCK_KEY = 7_316_421;
