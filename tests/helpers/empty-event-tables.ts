import type { Db } from "@/lib/db/client";

/**
 * Empties the events, everything folded from them and the connectors, ids starting again at 1.
 * The events go by DELETE, not TRUNCATE: a TRUNCATE of the day-partitioned table, or one that
 * cascades to it from Connector, truncates each of its hundred or so partitions and takes
 * seconds, where the few rows a test stored go at once (docs/partitioning.md).
 */
export async function emptyEventTables(db: Db): Promise<void> {
  await db.$executeRawUnsafe(`DELETE FROM "DeliveryEvent"`);
  await db.$executeRawUnsafe(`TRUNCATE "EventClientId", "EventHourlyCount", "QueuedMessage", "Alert" RESTART IDENTITY CASCADE`);
  await db.$executeRawUnsafe(`DELETE FROM "Connector"`);
  await db.$executeRawUnsafe(`ALTER SEQUENCE "Connector_id_seq" RESTART`);
}
