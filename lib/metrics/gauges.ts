import "server-only";
import { OPEN_STATUSES } from "@/lib/alerts/schemas";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { reusedValue } from "@/lib/metrics/cache";
import { metrics } from "@/lib/metrics/definitions";
import { gaugeSeries, type ConnectorQueueRow, type GaugeSeries, type GaugeSnapshot, type OpenAlertRow } from "@/lib/metrics/snapshot";

// The gauges come from the Alert and Connector tables alone, never from DeliveryEvent or
// QueuedMessage, so a scrape costs the same at a thousand events or a billion. That holds
// because the fold keeps each open alert's queued count, oldest queued message and expired
// count up to date in the transaction that changes its messages (docs/grouping.md): a queued
// message always counts towards exactly one alert, the one of its latest failure, which stays
// unresolved while the message is queued (Fix now sets the counts of the alerts whose messages
// it rejects to zero). Expired counts stay on resolved alerts, so their sum is every message
// the kept alerts saw expire, the same on every instance and across restarts.
// tests/integration/metrics.test.ts checks the plans with EXPLAIN.

/** Open alerts (the product's "open": active, investigating, snoozed) by code and severity. */
export const OPEN_ALERTS_SQL = `SELECT a."errorCode" AS code, a.severity::text AS severity, count(*)::int AS alerts
  FROM "Alert" a WHERE a.status::text = ANY($1::text[]) GROUP BY 1, 2 ORDER BY 1, 2`;

/** Per connector: queued now and the oldest of them (unresolved alerts), and expired ever (every alert). */
export const CONNECTOR_QUEUES_SQL = `SELECT c.id, c.name,
    COALESCE(sum(a."queuedCount") FILTER (WHERE a."resolvedAt" IS NULL), 0)::int AS queued,
    min(a."oldestQueuedAt") FILTER (WHERE a."resolvedAt" IS NULL AND a."queuedCount" > 0) AS "oldestQueuedAt",
    COALESCE(sum(a."expiredCount"), 0)::int AS expired
  FROM "Connector" c LEFT JOIN "Alert" a ON a."connectorId" = c.id
  GROUP BY c.id ORDER BY c.id`;

const snapshots = reusedValue<GaugeSnapshot>();

/**
 * Reads what the gauges show (reused for METRICS_CACHE_SECONDS) and sets them. When the database
 * cannot be read, the scrape still serves the counters and process metrics, with
 * mailflow_gauges_up 0 and no database gauges rather than stale ones.
 */
export async function refreshGauges(db: Db, now: Date = new Date()): Promise<void> {
  let series: GaugeSeries | null = null;
  try {
    series = gaugeSeries(await snapshots.get(db, env().METRICS_CACHE_SECONDS * 1000, () => readGaugeSnapshot(db)), now);
  } catch (error) {
    console.error("[metrics] the gauges could not be read from the database:", error);
  }
  // Reset first: a series of an alert that closed, or of a renamed connector, must disappear.
  // Nothing is awaited between reset and set, so a concurrent scrape never sees a half-set gauge.
  const gauges = [metrics.alertsOpen(), metrics.messagesQueued(), metrics.messagesExpired(), metrics.oldestQueuedAge()];
  for (const g of gauges) g.reset();
  metrics.gaugesUp().set(series ? 1 : 0);
  if (!series) return;
  for (const s of series.openAlerts) metrics.alertsOpen().set(s.labels, s.value);
  for (const s of series.queued) metrics.messagesQueued().set(s.labels, s.value);
  for (const s of series.expired) metrics.messagesExpired().set(s.labels, s.value);
  metrics.oldestQueuedAge().set(series.oldestQueuedAgeSeconds);
}

export async function readGaugeSnapshot(db: Db): Promise<GaugeSnapshot> {
  const [openAlerts, connectors] = await Promise.all([
    db.$queryRawUnsafe<OpenAlertRow[]>(OPEN_ALERTS_SQL, [...OPEN_STATUSES]),
    db.$queryRawUnsafe<ConnectorQueueRow[]>(CONNECTOR_QUEUES_SQL),
  ]);
  return { openAlerts, connectors };
}
