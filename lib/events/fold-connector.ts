import "server-only";
import { compareEvents } from "@/lib/grouping/event";
import { fromCheckpoint, type CheckpointState } from "@/lib/events/checkpoint-state";
import { metaOf, type AlertRow, type FoldResult, type StoredEvent } from "@/lib/events/fold-rows";
import {
  deleteAlerts, deleteMessagesSince, dropCheckpointsAfter, findQuietPoint, loadAlertsSince, loadCheckpoint, loadEventsSince, loadLastAlertByCode,
  loadFoldState, loadMessages, lockAlerts, persistFolds, type LoadedState, type Tx,
} from "@/lib/events/store";
import { createFoldState, foldEvents, type FoldAlert } from "@/lib/grouping/fold";
import type { SeverityThresholds } from "@/lib/grouping/severity";

/** `lifetimeMinutes`: the connector's queue lifetime (lib/events/store.ts LockedConnector). */
export type ConnectorWork = { connectorId: number; clock: Date | null; lifetimeMinutes: number; events: StoredEvent[]; until: Date | null };
/** The severity thresholds, and the wall clock that decides whether a snooze ran out. */
export type FoldSettings = { thresholds: SeverityThresholds; now: Date };

/**
 * Brings connectors' alerts and queues up to date with new events. The caller holds the
 * connectors' row locks. Events later than a connector's clock continue its fold from the
 * stored state (all such connectors loaded and written together); an older one replays the
 * connector's fold from the last quiet point before it. See docs/grouping.md.
 *
 * `storeEvents` writes the events themselves. It is called after the continuing folds' state is
 * asked for and before it is awaited, so Postgres loads that state while the events are made
 * ready to send, and stores the events while the folds run in memory. Replays read the stored
 * events back, so their statements come after it.
 */
export async function foldConnectors(tx: Tx, work: ConnectorWork[], settings: FoldSettings, storeEvents?: () => Promise<void>): Promise<void> {
  const continuing: ContinuingWork[] = [];
  const replaying: { connectorId: number; lifetimeMinutes: number; first: Date; last: Date }[] = [];
  for (const w of work) {
    const sorted = [...w.events].sort(compareEvents);
    const first = sorted[0]?.occurredAt ?? w.until;
    const last = maxDate(sorted.at(-1)?.occurredAt ?? null, w.until, w.clock);
    if (!first || !last) continue;
    if (w.clock === null || first > w.clock) continuing.push({ ...w, sorted, last });
    else replaying.push({ connectorId: w.connectorId, lifetimeMinutes: w.lifetimeMinutes, first, last });
  }
  // Each statement is sent when it is made and awaited when its answer is needed; a failure of
  // one awaited later must not count as unhandled meanwhile.
  const loading = continuing.length > 0 ? settleLater(loadContinuing(tx, continuing)) : null;
  const stored = settleLater(storeEvents?.() ?? Promise.resolve());
  const loaded = loading ? await loading : null;
  const results = loaded ? continueFolds(continuing, loaded) : [];
  if (replaying.length > 0) await stored;
  for (const r of replaying) results.push(await replayFrom(tx, r.connectorId, r.lifetimeMinutes, r.first, r.last));
  // If storing the events failed, that is the error to report, not the next statement's.
  const persisted = settleLater(persistFolds(tx, results, settings.thresholds, settings.now));
  await stored;
  await persisted;
}

function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

type ContinuingWork = ConnectorWork & { sorted: StoredEvent[]; last: Date };

function loadContinuing(tx: Tx, work: ContinuingWork[]): Promise<LoadedState> {
  const latest = work.reduce((m, w) => (w.last > m ? w.last : m), work[0]!.last);
  return loadFoldState(tx, work.map((w) => w.connectorId), work.flatMap((w) => w.events), latest);
}

function continueFolds(work: ContinuingWork[], loaded: LoadedState): FoldResult[] {
  return work.map((w): FoldResult => {
    const state = createFoldState({
      alerts: loaded.alerts.get(w.connectorId) ?? [],
      lastByCode: loaded.lastByCode.get(w.connectorId) ?? new Map(),
      messages: loaded.messages.get(w.connectorId) ?? [],
      clock: w.clock,
      lifetimeMs: w.lifetimeMinutes * 60_000,
    });
    foldEvents(state, w.sorted, w.last);
    return { connectorId: w.connectorId, state, meta: loaded.meta, oldestUnseen: loaded.oldestUnseen };
  });
}

async function replayFrom(tx: Tx, connectorId: number, lifetimeMinutes: number, from: Date, until: Date): Promise<FoldResult> {
  const start = await replayStart(tx, connectorId, from);
  await dropCheckpointsAfter(tx, connectorId, from);
  const oldAlerts = await loadAlertsSince(tx, connectorId, start.since);
  await deleteMessagesSince(tx, connectorId, start.since);
  const events = (await loadEventsSince(tx, connectorId, start.since)).sort(compareEvents);
  const state = await replayState(tx, connectorId, lifetimeMinutes, start, events, until);
  foldEvents(state, events, until);
  await deleteAlerts(tx, reuseAlertRows(oldAlerts, [...state.alerts.values()]));
  // Every message since the start was rebuilt in memory (or came from the checkpoint): none is unseen.
  return { connectorId, state, meta: metaOf([...start.alertRows, ...oldAlerts]), oldestUnseen: new Map() };
}

export type ReplayStart = { since: Date; checkpoint: CheckpointState | null; alertRows: AlertRow[] };

/**
 * Where a replay of events from `from` starts: the last quiet point before it, or, when that is
 * older than a checkpoint at or before `from` (the retention dropped the events in between,
 * docs/partitioning.md), that checkpoint, with its alerts' rows locked (LOCKED_ALERTS).
 */
export async function replayStart(tx: Tx, connectorId: number, from: Date): Promise<ReplayStart> {
  const quiet = await findQuietPoint(tx, connectorId, from);
  const found = quiet < from ? await loadCheckpoint(tx, connectorId, quiet, from) : null;
  if (!found) return { since: quiet, checkpoint: null, alertRows: [] };
  const checkpoint = fromCheckpoint(found.state);
  return { since: found.at, checkpoint, alertRows: await lockAlerts(tx, checkpoint.alerts.map((a) => a.id!)) };
}

/**
 * The fold's state at a replay's start: the checkpoint's alerts and queued messages, if any, and
 * the stored messages the events name from before the start (settled there, so final), or
 * rejected by a remediation. Loaded rows from after the start are left out: a checkpoint is
 * computed while they still hold later states.
 */
export async function replayState(tx: Tx, connectorId: number, lifetimeMinutes: number, start: ReplayStart, events: StoredEvent[], until: Date) {
  const stored = (await loadMessages(tx, [connectorId], events, until)).get(connectorId)!
    .filter((m) => m.firstAttemptAt < start.since || m.state === "REJECTED");
  return createFoldState({
    alerts: start.checkpoint?.alerts ?? [],
    lastByCode: (await loadLastAlertByCode(tx, [connectorId], start.since)).get(connectorId)!,
    // The checkpoint's messages last: a stored row of the same message holds a later state. (Fix
    // now drops the checkpoints that hold a message it rejects queued.)
    messages: [...stored, ...(start.checkpoint?.messages ?? [])],
    clock: null,
    lifetimeMs: lifetimeMinutes * 60_000,
  });
}

/**
 * Rebuilt episodes take over the rows they replace, in order per error code, so alert ids and
 * what admins did to them (acknowledged, snoozed, remediated) survive a replay. Returns the ids
 * of rows no episode took over.
 */
export function reuseAlertRows(old: { id: number; errorCode: string }[], rebuilt: FoldAlert[]): number[] {
  const free = new Map<string, number[]>();
  for (const row of old) free.set(row.errorCode, [...(free.get(row.errorCode) ?? []), row.id]);
  // Alerts that came with their rows (a checkpoint's) keep them.
  const ordered = rebuilt.filter((a) => a.id === null).sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime());
  for (const alert of ordered) {
    const id = free.get(alert.errorCode)?.shift();
    if (id !== undefined) alert.id = id;
  }
  return [...free.values()].flat();
}

export function maxDate(...dates: (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}
