import "server-only";
import type { Db } from "@/lib/db/client";
import { generateDemoEvents, type DemoEventOptions } from "@/lib/demo/events";
import { DEMO_CONNECTORS, DEMO_DOMAINS, type DemoConnectorKey } from "@/lib/demo/organisation";
import { ingestEvents } from "@/lib/events/ingest";
import type { Prisma } from "@/lib/generated/prisma/client";

// Loads the demo organisation and its day of events. The events go through the same ingest path
// as POST /api/events, so alerts and queues are derived exactly as for real traffic. Prints
// nothing: callers report the counts.

export const DEMO_BATCH_SIZE = 1000;
export const DEMO_SOURCE = "demo";
// Serialises two starters seeding the same empty database (any constant unique to this purpose).
const DEMO_LOCK_KEY = 7_302_611;

export type DemoOptions = Partial<DemoEventOptions>;

export type DemoCounts = {
  connectors: number;
  domains: number;
  events: number;
  alerts: number;
  queuedMessages: number;
};

/** Loads the demo when the database has no connectors yet; says whether it did. */
export async function seedDemoIfEmpty(db: Db, options: DemoOptions = {}): Promise<boolean> {
  const claimed = await db.$transaction(async (tx) => {
    await lockDemo(tx);
    if ((await tx.connector.count()) > 0) return false;
    await writeDemoOrganisation(tx);
    return true;
  });
  if (claimed) await ingestDemoEvents(db, options);
  return claimed;
}

/** Deletes all data (events, messages, alerts, remediations, audit, domains, connectors) and loads the demo. */
export async function reseedDemo(db: Db, options: DemoOptions = {}): Promise<DemoCounts> {
  await db.$transaction(async (tx) => {
    await lockDemo(tx);
    // No CASCADE: a table added later that points at these must be named here deliberately.
    await tx.$executeRaw`TRUNCATE "Notification", "AlertTransition", "MaintenanceWindow", "ConnectorValidation", "Remediation", "QueuedMessage", "DeliveryEvent", "EventClientId", "FoldCheckpoint", "EventHourlyCount", "TraceMessage", "Alert", "AuditEntry", "AcceptedDomain", "Connector" RESTART IDENTITY`;
    await writeDemoOrganisation(tx);
  });
  await ingestDemoEvents(db, options);
  const [connectors, domains, events, alerts, queuedMessages] = await Promise.all([
    db.connector.count(),
    db.acceptedDomain.count(),
    db.deliveryEvent.count(),
    db.alert.count(),
    db.queuedMessage.count({ where: { state: "QUEUED" } }),
  ]);
  return { connectors, domains, events, alerts, queuedMessages };
}

async function writeDemoOrganisation(tx: Prisma.TransactionClient): Promise<void> {
  const ids = new Map<DemoConnectorKey, number>();
  for (const { key, ...connector } of DEMO_CONNECTORS) {
    const created = await tx.connector.create({ data: { ...connector, demo: true }, select: { id: true } });
    ids.set(key, created.id);
  }
  await tx.acceptedDomain.createMany({
    data: DEMO_DOMAINS.map(({ name, type, connector }) => ({
      name,
      type,
      connectorId: connector ? (ids.get(connector) ?? null) : null,
    })),
  });
}

async function ingestDemoEvents(db: Db, { now = new Date(), seed }: DemoOptions): Promise<void> {
  const events = generateDemoEvents({ now, seed });
  for (let from = 0; from < events.length; from += DEMO_BATCH_SIZE) {
    const batch = events.slice(from, from + DEMO_BATCH_SIZE);
    const { rejected } = await ingestEvents(db, batch, { source: DEMO_SOURCE, now });
    const first = rejected[0];
    // The generator is tested against the wire schema, so a rejection here is a bug to surface.
    if (first) throw new Error(`Demo event ${from + first.index} was rejected: ${first.field}: ${first.message}`);
  }
}

async function lockDemo(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEMO_LOCK_KEY}::bigint)`;
}
