import { alertKeyOf, type FoldAlert, type FoldMessage, type FoldState } from "@/lib/grouping/fold";
import { ALERT_DATES, MESSAGE_DATES, withDates } from "@/lib/events/fold-rows";

// Pure: the fold's state at a partition boundary as FoldCheckpoint stores it (docs/partitioning.md),
// and back. Only what a fold continuing from there reads: the open alerts, with their row ids,
// and the queued messages. Alerts closed by then are final rows; settled messages are final rows.

export type CheckpointState = { alerts: FoldAlert[]; messages: FoldMessage[] };

/**
 * The open alerts (each must have its row id by now) and queued messages of `state`. Keys become
 * the rows' keys, so a fold started from the checkpoint never meets a key it would make itself.
 */
export function checkpointOf(state: FoldState): CheckpointState {
  const keys = new Map<string, string>();
  for (const a of state.alerts.values()) if (a.id !== null) keys.set(a.key, alertKeyOf(a.id));
  const alerts = [...state.alerts.values()].filter((a) => a.resolvedAt === null).map((a) => {
    if (a.id === null) throw new Error(`checkpoint: alert ${a.key} has no row`);
    return { ...a, key: alertKeyOf(a.id), regressionOfKey: a.regressionOfKey === null ? null : (keys.get(a.regressionOfKey) ?? a.regressionOfKey) };
  });
  const messages = [...state.messages.values()].filter((m) => m.state === "QUEUED").map((m) => ({
    ...m, id: null, alertKey: m.alertKey === null ? null : (keys.get(m.alertKey) ?? m.alertKey),
  }));
  return { alerts, messages };
}

/**
 * A stored checkpoint as the fold starts from it. Its alerts are marked changed, so a replay
 * writes each again. Its messages are not: each has a row already (first attempted before the
 * checkpoint, so a replay does not delete it), and a replay writes only those its events or the
 * clock change, as a fold continuing from stored rows does. A connector in a long outage holds
 * tens of thousands of queued messages; rewriting them all made every late event cost that.
 */
export function fromCheckpoint(json: { alerts: Record<string, unknown>[]; messages: Record<string, unknown>[] }): CheckpointState {
  return {
    alerts: json.alerts.map((a) => ({ ...withDates<FoldAlert>(a, ALERT_DATES), dirty: true })),
    messages: json.messages.map((m) => ({ ...withDates<FoldMessage>(m, MESSAGE_DATES), id: null, dirty: false })),
  };
}
