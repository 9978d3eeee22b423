import { poolOf, type Db } from "@/lib/db/client";
import { withSqlTransaction } from "@/lib/db/sql";
import { env } from "@/lib/env";
import { foldConnectors } from "@/lib/events/fold-connector";
import { normalizeEvent } from "@/lib/events/normalize";
import type { ParsedBody } from "@/lib/events/parse-body";
import { eventInputSchema, type EventInput, type IngestResult } from "@/lib/events/schemas";
import { insertEvents, lockConnectors, type LockedConnector, type StoredEvent } from "@/lib/events/store";
import type { SeverityThresholds } from "@/lib/grouping/severity";

export type IngestOptions = { source?: string; now?: Date };

type Rejection = IngestResult["rejected"][number];

/** Events may be stamped a little ahead of our clock (clock skew); further ahead is an error. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Validates, stores and folds a batch of delivery events. The accepted events of one call are
 * committed together with their effect on queues and alerts, or not at all.
 */
export async function ingestEvents(db: Db, inputs: readonly unknown[], options: IngestOptions = {}): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const rejected: Rejection[] = [];
  const valid = validateAll(inputs, now, rejected);
  if (valid.length === 0) return { accepted: 0, duplicates: 0, rejected };

  const refs = valid.map((v) => v.input.connector);
  const outcome = await withSqlTransaction(poolOf(db), async (tx) => {
    const locked = await lockConnectors(tx, numbers(refs), strings(refs));
    const byRef = new Map<string, LockedConnector>();
    for (const c of locked) byRef.set(String(c.id), c).set(c.name, c);
    const { events, duplicates, unknown } = prepare(valid, byRef);
    const inserted = await insertEvents(tx, events, options.source ?? "api");
    const work = [...groupBy(inserted, (e) => e.connectorId)].map(([connectorId, list]) => ({
      connectorId, clock: locked.find((c) => c.id === connectorId)!.foldedThrough, events: list, until: null,
    }));
    await foldConnectors(tx, work, thresholds());
    return { accepted: inserted.length, duplicates: duplicates + events.length - inserted.length, unknown };
  });
  rejected.push(...outcome.unknown);
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
}

/** Resolves connectors and drops repeats of a client id within the batch (the first one counts). */
function prepare(valid: { index: number; input: EventInput }[], byRef: Map<string, LockedConnector>) {
  const seenIds = new Set<string>();
  const events: StoredEvent[] = [];
  const unknown: Rejection[] = [];
  let duplicates = 0;
  for (const { index, input } of valid) {
    const connector = byRef.get(String(input.connector));
    if (!connector) {
      unknown.push({ index, field: "connector", message: `no connector has the id or name "${input.connector}"` });
      continue;
    }
    if (input.id !== undefined) {
      if (seenIds.has(input.id)) { duplicates += 1; continue; }
      seenIds.add(input.id);
    }
    events.push({ ...normalizeEvent(input), connectorId: connector.id });
  }
  return { events, duplicates, unknown };
}

export function thresholds(): SeverityThresholds {
  return { highQueued: env().ALERT_HIGH_QUEUED, highWaitMs: env().ALERT_HIGH_AGE_MINUTES * 60_000 };
}

function validateAll(inputs: readonly unknown[], now: Date, rejected: Rejection[]): { index: number; input: EventInput }[] {
  const valid: { index: number; input: EventInput }[] = [];
  inputs.forEach((raw, index) => {
    const parsed = eventInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      rejected.push({ index, field: issue.path.join(".") || "(event)", message: issueMessage(issue) });
      return;
    }
    if (new Date(parsed.data.occurredAt).getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      rejected.push({ index, field: "occurredAt", message: "is in the future" });
      return;
    }
    valid.push({ index, input: parsed.data });
  });
  return valid;
}

function issueMessage(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === "unrecognized_keys" && issue.keys) return `unknown field(s): ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "is required";
  return issue.message;
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
