// Pure: what the gauges show, from the rows lib/metrics/gauges.ts reads. No database here.

export type OpenAlertRow = { code: string; severity: string; alerts: number };
export type ConnectorQueueRow = { id: number; name: string; queued: number; expired: number; oldestQueuedAt: Date | null };
export type GaugeSnapshot = { openAlerts: OpenAlertRow[]; connectors: ConnectorQueueRow[] };

export type GaugeSeries = {
  openAlerts: { labels: { code: string; severity: string }; value: number }[];
  queued: { labels: ConnectorLabels; value: number }[];
  expired: { labels: ConnectorLabels; value: number }[];
  oldestQueuedAgeSeconds: number;
};
type ConnectorLabels = { connector_id: string; connector: string };

/**
 * The series of a snapshot at `now`: one per open (code, severity), one queued and one expired
 * series per connector whatever its messages, and the oldest queued message's age (0 when
 * nothing is queued; never negative when an event was stamped a little ahead of our clock).
 */
export function gaugeSeries(snapshot: GaugeSnapshot, now: Date): GaugeSeries {
  let oldest: number | null = null;
  for (const c of snapshot.connectors) {
    const at = c.queued > 0 ? c.oldestQueuedAt?.getTime() : undefined;
    if (at !== undefined && (oldest === null || at < oldest)) oldest = at;
  }
  const labels = (c: ConnectorQueueRow): ConnectorLabels => ({ connector_id: String(c.id), connector: c.name });
  return {
    openAlerts: snapshot.openAlerts.map((a) => ({ labels: { code: a.code, severity: a.severity }, value: a.alerts })),
    queued: snapshot.connectors.map((c) => ({ labels: labels(c), value: c.queued })),
    expired: snapshot.connectors.map((c) => ({ labels: labels(c), value: c.expired })),
    oldestQueuedAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
  };
}
