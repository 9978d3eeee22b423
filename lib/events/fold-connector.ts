import { compareEvents } from "@/lib/events/normalize";
import {
  deleteAlerts, deleteMessagesSince, findQuietPoint, loadAlertsSince, loadEventsSince, loadLastAlertByCode,
  loadMessages, loadOpenAlerts, persistFold, setConnectorClock, type StoredEvent, type Tx,
} from "@/lib/events/store";
import { createFoldState, foldEvents, type FoldAlert } from "@/lib/grouping/fold";
import type { SeverityThresholds } from "@/lib/grouping/severity";

/**
 * Brings one connector's alerts and queue up to date with newly stored events. The caller holds
 * the connector's row lock. Events later than the connector's clock continue the fold from the
 * stored state; an older one replays the fold from the last quiet point before it.
 */
export async function foldConnector(
  tx: Tx,
  connectorId: number,
  clock: Date | null,
  events: StoredEvent[],
  until: Date | null,
  t: SeverityThresholds,
): Promise<void> {
  const sorted = [...events].sort(compareEvents);
  const first = sorted[0]?.occurredAt ?? until;
  const last = maxDate(sorted.at(-1)?.occurredAt ?? null, until, clock);
  if (!first || !last) return;
  if (clock === null || first > clock) await continueFold(tx, connectorId, clock, sorted, last, t);
  else await replayFrom(tx, connectorId, first, last, t);
}

async function continueFold(tx: Tx, connectorId: number, clock: Date | null, sorted: StoredEvent[], until: Date, t: SeverityThresholds) {
  const keys = uniqueKeys(sorted);
  const [alerts, lastByCode, messages] = [
    await loadOpenAlerts(tx, connectorId),
    await loadLastAlertByCode(tx, connectorId, null),
    await loadMessages(tx, connectorId, keys),
  ];
  const state = createFoldState({ alerts, lastByCode, messages, clock });
  foldEvents(state, sorted, until, t);
  await persistFold(tx, connectorId, state);
  await setConnectorClock(tx, connectorId, state.clock);
}

async function replayFrom(tx: Tx, connectorId: number, from: Date, until: Date, t: SeverityThresholds) {
  const quiet = await findQuietPoint(tx, connectorId, from);
  const oldAlerts = await loadAlertsSince(tx, connectorId, quiet);
  await deleteMessagesSince(tx, connectorId, quiet);
  const events = (await loadEventsSince(tx, connectorId, quiet)).sort(compareEvents);
  const state = createFoldState({
    alerts: [],
    lastByCode: await loadLastAlertByCode(tx, connectorId, quiet),
    messages: await loadMessages(tx, connectorId, uniqueKeys(events)),
    clock: null,
  });
  foldEvents(state, events, until, t);
  const unused = reuseAlertRows(oldAlerts, [...state.alerts.values()]);
  await deleteAlerts(tx, unused);
  await persistFold(tx, connectorId, state);
  await setConnectorClock(tx, connectorId, state.clock);
}

/**
 * Rebuilt episodes take over the rows they replace, in order per error code, so alert ids and
 * what admins did to them (acknowledged, snoozed, remediated) survive a replay. Returns the ids
 * of rows no episode took over.
 */
export function reuseAlertRows(old: { id: number; errorCode: string }[], rebuilt: FoldAlert[]): number[] {
  const free = new Map<string, number[]>();
  for (const row of old) free.set(row.errorCode, [...(free.get(row.errorCode) ?? []), row.id]);
  const ordered = [...rebuilt].sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime());
  for (const alert of ordered) {
    const id = free.get(alert.errorCode)?.shift();
    if (id !== undefined) alert.id = id;
  }
  return [...free.values()].flat();
}

function uniqueKeys(events: StoredEvent[]) {
  const seen = new Map<string, { messageId: string; recipient: string }>();
  for (const e of events) seen.set(`${e.messageId}\u0000${e.recipient ?? ""}`, { messageId: e.messageId, recipient: e.recipient ?? "" });
  return [...seen.values()];
}

function maxDate(...dates: (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}
