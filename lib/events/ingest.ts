import "server-only";
import { poolOf, type Db } from "@/lib/db/client";
import { isMissingPartition, isUniqueViolation } from "@/lib/db/errors";
import { withSqlTransaction } from "@/lib/db/sql";
import { env } from "@/lib/env";
import { foldConnectors } from "@/lib/events/fold-connector";
import { normalizeEvent } from "@/lib/events/normalize";
import type { ParsedBody } from "@/lib/events/parse-body";
import type { EventInput, IngestResult } from "@/lib/events/schemas";
import type { StoredEvent } from "@/lib/events/fold-rows";
import {
  CLIENT_ID_KEY, findStoredClientIds, findStoredClientIdsIn, insertEvents, lockConnectors, type LockedConnector, type Tx,
} from "@/lib/events/store";
import { retentionHorizon, tooOldReason } from "@/lib/events/partitions";
import { ensureEventPartitions } from "@/lib/events/retention";
import { validateEvent } from "@/lib/events/validate";
import { AppError, conflict } from "@/lib/http/errors";
import { recordIngest, secondsSince } from "@/lib/metrics/definitions";
import { retiredConnectorRejection, unknownConnectorRejection } from "@/lib/organisation/retired";
import { PROBE_SOURCE, type FoldEvent } from "@/lib/grouping/event";
import type { SeverityThresholds } from "@/lib/grouping/severity";

export type IngestOptions = { source?: string; now?: Date };

type Rejection = IngestResult["rejected"][number];

/** Events may be stamped a little ahead of our clock (clock skew); further ahead is an error. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** How often a batch runs again after a client-id conflict that revealed no newly stored id. */
const CLIENT_ID_RACE_ATTEMPTS = 5;

type Valid = { index: number; input: EventInput; occurredAt: Date };

/**
 * Validates, stores and folds a batch of delivery events. The accepted events of one call are
 * committed together with their effect on queues and alerts, or not at all.
 *
 * The batch is stored and folded on the assumption that its client ids are new, which is what a
 * client sends nearly always, so the common case pays no extra lookup: the unique index refuses
 * an id stored before (or by a concurrent batch that commits first). The batch then runs again
 * with the ids found stored counted as duplicates; every such run knows more of them, so this ends.
 */
export async function ingestEvents(db: Db, inputs: readonly unknown[], options: IngestOptions = {}): Promise<IngestResult> {
  const started = performance.now();
  const source = options.source ?? "api";
  const now = options.now ?? new Date();
  const rejected: Rejection[] = [];
  const valid = validateAll(inputs, now, rejected);
  if (valid.length === 0) {
    recordIngest({ source, statuses: [], duplicates: 0, rejected: rejected.length, seconds: secondsSince(started) });
    return { accepted: 0, duplicates: 0, rejected };
  }

  const refs = valid.map((v) => v.input.connector);
  const storedBefore = new Set<string>();
  let partitionsEnsured = false;
  for (let races = 1; ;) {
    try {
      const outcome = await withSqlTransaction(poolOf(db), (tx) => storeAndFold(tx, valid, refs, storedBefore, source, now));
      rejected.push(...outcome.unknown);
      rejected.sort((a, b) => a.index - b.index);
      recordIngest({ source, statuses: outcome.statuses, duplicates: outcome.duplicates, rejected: rejected.length, seconds: secondsSince(started) });
      return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
    } catch (error) {
      // A day within the retention without its partition (no instance led the retention job
      // for a week): make the window, then run the batch again, once.
      if (!partitionsEnsured && isMissingPartition(error)) {
        partitionsEnsured = true;
        await ensureEventPartitions(poolOf(db), now);
        continue;
      }
      if (!isUniqueViolation(error, CLIENT_ID_KEY)) throw error;
      const candidates = valid.flatMap((v) => (v.input.id !== undefined && !storedBefore.has(v.input.id) ? [v.input.id] : []));
      const found = await findStoredClientIds(poolOf(db), candidates);
      for (const id of found) storedBefore.add(id);
      // Nothing newly found: a race we cannot see yet; try a few times, then give up.
      if (found.length === 0 && races++ >= CLIENT_ID_RACE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Validates, stores and folds a batch inside the caller's transaction, for a source that commits
 * its read position with the events it produced (lib/sources). Client ids stored before are
 * looked up first (one index probe each), so a repeat never aborts the caller's transaction; a
 * concurrent writer of the same new ids still does, and the caller runs its transaction again.
 */
export async function ingestInTransaction(tx: Tx, inputs: readonly unknown[], options: IngestOptions = {}): Promise<IngestResult> {
  const started = performance.now();
  const source = options.source ?? "api";
  const now = options.now ?? new Date();
  const rejected: Rejection[] = [];
  const valid = validateAll(inputs, now, rejected);
  // Counted when the caller's transaction commits: a rolled-back chunk is read again and would count twice.
  const record = (statuses: string[], duplicates: number) => {
    const seconds = secondsSince(started);
    tx.afterCommit?.(() => recordIngest({ source, statuses, duplicates, rejected: rejected.length, seconds }));
  };
  if (valid.length === 0) {
    record([], 0);
    return { accepted: 0, duplicates: 0, rejected };
  }
  const stored = new Set(await findStoredClientIdsIn(tx, valid.flatMap((v) => (v.input.id === undefined ? [] : [v.input.id]))));
  const outcome = await storeAndFold(tx, valid, valid.map((v) => v.input.connector), stored, source, now);
  rejected.push(...outcome.unknown);
  rejected.sort((a, b) => a.index - b.index);
  record(outcome.statuses, outcome.duplicates);
  return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
}

/**
 * Stores and folds observations our own code made for one connector (the probe's, with
 * `source` "probe"): already normalised and without client ids, so nothing is validated or
 * deduplicated. Refused, with nothing stored, when the connector is unknown or retired.
 * `alsoWrite` commits the caller's own record (the validation) in the same transaction.
 */
export async function ingestObservations(
  db: Db,
  connectorId: number,
  events: readonly FoldEvent[],
  source: string,
  options: { now?: Date; alsoWrite?: (tx: Tx) => Promise<void> } = {},
): Promise<void> {
  const started = performance.now();
  const now = options.now ?? new Date();
  await withSqlTransaction(poolOf(db), async (tx) => {
    const [connector] = await lockConnectors(tx, [connectorId], []);
    // AppErrors, so the caller's words reach the admin (a connector retired while it was probed: 409).
    if (!connector) throw new AppError({ code: "not_found", status: 404, message: unknownConnectorRejection(connectorId) });
    if (connector.retiredAt) throw conflict(retiredConnectorRejection(connector.name, connector.retiredAt));
    const stored = events.map((e) => ({ ...e, probe: source === PROBE_SOURCE, connectorId }));
    const work = [{ connectorId, clock: connector.foldedThrough, lifetimeMinutes: connector.queueLifetimeMinutes, events: stored, until: null }];
    await foldConnectors(tx, work, { thresholds: thresholds(), now }, () => insertEvents(tx, stored, source));
    await options.alsoWrite?.(tx);
  });
  recordIngest({ source, statuses: events.map((e) => e.status), duplicates: 0, rejected: 0, seconds: secondsSince(started) });
}

async function storeAndFold(tx: Tx, valid: Valid[], refs: (string | number)[], storedBefore: Set<string>, source: string, now: Date) {
  const locked = await lockConnectors(tx, numbers(refs), strings(refs));
  const byRef = new Map<string, LockedConnector>();
  for (const c of locked) byRef.set(String(c.id), c).set(c.name, c);
  const { events, duplicates, unknown } = prepare(valid, byRef, storedBefore);
  const work = [...groupBy(events, (e) => e.connectorId)].map(([connectorId, list]) => ({
    connectorId, clock: byRef.get(String(connectorId))!.foldedThrough, lifetimeMinutes: byRef.get(String(connectorId))!.queueLifetimeMinutes, events: list, until: null,
  }));
  await foldConnectors(tx, work, { thresholds: thresholds(), now }, () => insertEvents(tx, events, source));
  return { accepted: events.length, statuses: events.map((e) => e.status), duplicates, unknown };
}

/**
 * Resolves connectors (refusing unknown and retired ones) and drops duplicates: client ids stored before, and repeats of a client id
 * within the batch (the first one counts).
 */
function prepare(valid: Valid[], byRef: Map<string, LockedConnector>, storedBefore: Set<string>) {
  const seenIds = new Set<string>();
  const events: StoredEvent[] = [];
  const unknown: Rejection[] = [];
  let duplicates = 0;
  for (const { index, input, occurredAt } of valid) {
    const connector = byRef.get(String(input.connector));
    if (!connector || connector.retiredAt) {
      const message = connector?.retiredAt ? retiredConnectorRejection(connector.name, connector.retiredAt) : unknownConnectorRejection(input.connector);
      unknown.push({ index, field: "connector", message });
      continue;
    }
    if (input.id !== undefined) {
      if (seenIds.has(input.id) || storedBefore.has(input.id)) { duplicates += 1; continue; }
      seenIds.add(input.id);
    }
    // Set on the normalised object rather than spread into a copy: ingest does this per event.
    const event = normalizeEvent(input, occurredAt) as StoredEvent;
    event.connectorId = connector.id;
    events.push(event);
  }
  return { events, duplicates, unknown };
}

export function thresholds(): SeverityThresholds {
  return { highQueued: env().ALERT_HIGH_QUEUED, highWaitMs: env().ALERT_HIGH_AGE_MINUTES * 60_000 };
}

/**
 * Checks each event; an event from before the retention's horizon is refused with that reason:
 * its partition is dropped (or about to be), and a late event the fold would replay must never
 * need what was (docs/partitioning.md).
 */
function validateAll(inputs: readonly unknown[], now: Date, rejected: Rejection[]): Valid[] {
  const valid: Valid[] = [];
  const latest = now.getTime() + MAX_CLOCK_SKEW_MS;
  const retentionDays = env().EVENT_RETENTION_DAYS;
  const horizon = retentionHorizon(now, retentionDays);
  for (let index = 0; index < inputs.length; index++) {
    const checked = validateEvent(inputs[index]);
    if (!checked.ok) rejected.push({ index, field: checked.field, message: checked.message });
    else if (checked.occurredAt.getTime() > latest) rejected.push({ index, field: "occurredAt", message: "is in the future" });
    else if (checked.occurredAt < horizon) rejected.push({ index, field: "occurredAt", message: tooOldReason(horizon, retentionDays) });
    else valid.push({ index, input: checked.event, occurredAt: checked.occurredAt });
  }
  return valid;
}

function numbers(refs: (string | number)[]): number[] {
  return [...new Set(refs.filter((r): r is number => typeof r === "number"))];
}

function strings(refs: (string | number)[]): string[] {
  return [...new Set(refs.filter((r): r is string => typeof r === "string"))];
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Ingests a parsed body: lines that were not JSON stay rejected under their own index. */
export async function ingestParsed(db: Db, parsed: ParsedBody, options: IngestOptions = {}): Promise<IngestResult> {
  const badLines = new Set(parsed.lineErrors.map((e) => e.index));
  const result = await ingestEvents(db, parsed.events, options);
  const rejected = [...result.rejected.filter((r) => !badLines.has(r.index)), ...parsed.lineErrors].sort((a, b) => a.index - b.index);
  return { ...result, rejected };
}
