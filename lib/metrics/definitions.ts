import { Counter, Gauge, Histogram } from "prom-client";
import { defineMetric } from "@/lib/metrics/registry";

// Every metric GET /api/metrics serves besides prom-client's process metrics (docs/metrics.md).
// Counters and histograms count what this process did since it started; Prometheus sums them
// over instances. The gauges are read from the database (lib/metrics/gauges.ts), so every
// instance reports the same values: aggregate them with max(), not sum().

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type FixNowAction = "apply" | "undo";
export type NotificationOutcome = "delivered" | "retrying" | "given_up";

export const metrics = {
  eventsIngested: counter("mailflow_events_ingested_total", "Delivery events stored by ingest (committed), by source and event status.", ["source", "status"]),
  eventsRefused: counter("mailflow_events_refused_total",
    "Delivery events ingest did not store: reason rejected (invalid, unknown or retired connector) or duplicate (client id seen before).", ["source", "reason"]),
  ingestBatchDuration: histogram("mailflow_ingest_batch_duration_seconds", "Time to validate, store and fold one ingest batch, by source.", ["source"]),
  // Both series exist from the start, so rate() and increase() see the first Fix now.
  fixNow: counter("mailflow_fix_now_total", "Fix now applied and undone (by an operator, or by an Exchange import that took the tenant's state).", ["action"],
    [{ action: "apply" }, { action: "undo" }]),
  sweepRuns: counter("mailflow_sweep_runs_total", "Runs of the queue sweep (expiry and waits of quiet connectors) in this process, by outcome (ok, error).", ["outcome"]),
  sweepDuration: histogram("mailflow_sweep_duration_seconds", "Time of one queue sweep run.", []),
  sweepConnectors: counter("mailflow_sweep_connectors_total", "Connectors whose fold a sweep moved forward.", []),
  notificationDeliveries: counter("mailflow_notification_deliveries_total",
    "Notification delivery attempts, by channel kind and outcome (delivered, retrying, given_up).", ["kind", "outcome"]),
  gaugesUp: gauge("mailflow_gauges_up",
    "1 when this scrape read the database's gauges; 0 when the database could not be read (those gauges are then left out).", []),
  alertsOpen: gauge("mailflow_alerts_open", "Open alerts (active, investigating or snoozed), by error code and severity.", ["code", "severity"]),
  messagesQueued: gauge("mailflow_messages_queued", "Messages queued now, by connector (one series per connector).", ["connector_id", "connector"]),
  oldestQueuedAge: gauge("mailflow_queued_oldest_age_seconds", "Age of the oldest message queued now, from its first attempt; 0 when nothing is queued.", []),
  messagesExpired: gauge("mailflow_messages_expired",
    "Messages returned to their senders after their queue lifetime, as the stored alerts count them, by connector (grows like a counter; the same on every instance).",
    ["connector_id", "connector"]),
};

/** Registers every metric, so a scrape lists each family (HELP and TYPE) before its first use. */
export function defineAllMetrics(): void {
  for (const define of Object.values(metrics)) define();
}

/** One committed ingest batch: its events by status, what it did not store, and its time. */
export function recordIngest(batch: Readonly<{
  source: string; statuses: readonly string[]; duplicates: number; rejected: number; seconds: number;
}>): void {
  const { source } = batch;
  // Statuses as the wire format spells them (lower case), not as the database's enum.
  for (const [status, count] of countValues(batch.statuses)) metrics.eventsIngested().inc({ source, status: status.toLowerCase() }, count);
  if (batch.duplicates > 0) metrics.eventsRefused().inc({ source, reason: "duplicate" }, batch.duplicates);
  if (batch.rejected > 0) metrics.eventsRefused().inc({ source, reason: "rejected" }, batch.rejected);
  metrics.ingestBatchDuration().observe({ source }, batch.seconds);
}

export function recordFixNow(action: FixNowAction, count = 1): void {
  if (count > 0) metrics.fixNow().inc({ action }, count);
}

export function recordSweep(outcome: "ok" | "error", seconds: number, connectorsMoved: number): void {
  metrics.sweepRuns().inc({ outcome });
  metrics.sweepDuration().observe(seconds);
  if (connectorsMoved > 0) metrics.sweepConnectors().inc(connectorsMoved);
}

export function recordNotificationDelivery(kind: string, outcome: NotificationOutcome): void {
  metrics.notificationDeliveries().inc({ kind, outcome });
}

/** Seconds since `startedMs` (a performance.now() reading). */
export function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

export function countValues(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

// Each metric is made on first use, in the process's one registry (lib/metrics/registry.ts).
function counter<L extends string>(name: string, help: string, labelNames: readonly L[], initial: Partial<Record<L, string>>[] = []) {
  return () => defineMetric(name, (registry) => {
    const made = new Counter<L>({ name, help, labelNames, registers: [registry] });
    for (const labels of initial) made.inc(labels, 0);
    return made;
  });
}

function gauge<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  return () => defineMetric(name, (registry) => new Gauge<L>({ name, help, labelNames, registers: [registry] }));
}

function histogram<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  return () => defineMetric(name, (registry) => new Histogram<L>({ name, help, labelNames, buckets: DURATION_BUCKETS, registers: [registry] }));
}
