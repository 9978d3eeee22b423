import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { validateConnector, type ValidationRecord } from "@/lib/probe/service";
import type { ProbeOptions } from "@/lib/probe/types";

// Scheduled probing (docs/probe.md): a job of lib/jobs, so it runs on one instance only. Each run
// validates the connectors whose latest validation (of any trigger) is older than the interval,
// the longest-waiting first, at most `concurrency` at once and `batch` per run; the rest wait for
// the next run. A connector validated by hand just now is not probed again until its turn.

export type ScheduledProbeOptions = {
  intervalMinutes: number;
  concurrency: number;
  /** At most this many connectors per run (a run of many slow probes stays bounded). */
  batch?: number;
  signal?: AbortSignal;
  now?: Date;
  probe?: Pick<ProbeOptions, "timeouts" | "now">;
  log?: Pick<Console, "warn">;
};

export type ScheduledProbeSummary = { probed: number; passed: number; failed: number; skipped: number; errors: number };

/** Scheduled validations older than this are removed (manual and command-line ones stay). */
export const SCHEDULED_HISTORY_DAYS = 30;

/**
 * Enabled, live, non-demo connectors that have somewhere to send to (a smart host, or for an MX
 * route a named recipient domain whose MX is looked up) and are due: never validated, or
 * validated last more than the interval ago.
 */
export async function dueConnectors(db: Db, intervalMinutes: number, now: Date, limit: number): Promise<{ id: number; name: string }[]> {
  return db.$queryRaw<{ id: number; name: string }[]>`
    SELECT c.id, c.name FROM "Connector" c
    LEFT JOIN LATERAL (
      SELECT v."startedAt" FROM "ConnectorValidation" v WHERE v."connectorId" = c.id ORDER BY v."startedAt" DESC LIMIT 1
    ) last ON true
    WHERE c.enabled AND NOT c.demo AND c."retiredAt" IS NULL AND (CASE WHEN c."useMxRecord" THEN EXISTS (SELECT 1 FROM unnest(c."recipientDomains") d WHERE d <> '*')
                ELSE cardinality(c."smartHosts") > 0 END)
      AND (last."startedAt" IS NULL OR last."startedAt" <= ${now}::timestamptz - make_interval(mins => ${intervalMinutes}::int))
    ORDER BY last."startedAt" ASC NULLS FIRST, c.id
    LIMIT ${limit}`;
}

export async function probeDueConnectors(db: Db, options: ScheduledProbeOptions): Promise<ScheduledProbeSummary> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? options.concurrency * 8;
  const summary: ScheduledProbeSummary = { probed: 0, passed: 0, failed: 0, skipped: 0, errors: 0 };
  const due = await dueConnectors(db, options.intervalMinutes, now, batch);
  let next = 0;
  const worker = async () => {
    while (next < due.length && !options.signal?.aborted) {
      const connector = due[next++]!;
      try {
        const record = await validateScheduled(db, connector.id, options);
        if (!record) summary.skipped += 1;
        else {
          summary.probed += 1;
          summary[record.outcome] += 1;
        }
      } catch (error) {
        summary.errors += 1;
        (options.log ?? console).warn(`[probe] validating "${connector.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, due.length) }, worker));
  await db.$executeRaw`
    DELETE FROM "ConnectorValidation" WHERE id IN (
      SELECT id FROM "ConnectorValidation"
      WHERE trigger = 'scheduled' AND "startedAt" < ${now}::timestamptz - make_interval(days => ${SCHEDULED_HISTORY_DAYS}::int)
      LIMIT 1000)`;
  return summary;
}

/**
 * One scheduled validation, or null when the connector changed since it was picked so that it is
 * no longer validated (retired, made demo, lost its hosts): validateConnector refuses it (an
 * AppError) before anything is sent.
 */
async function validateScheduled(db: Db, id: number, options: ScheduledProbeOptions): Promise<ValidationRecord | null> {
  try {
    return await validateConnector(db, id, { trigger: "scheduled", actor: null, probe: options.probe });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return null;
    throw error;
  }
}
