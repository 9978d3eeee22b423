import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { matchingRules, overDailyLimit, quietReason, type Rule, type Window } from "@/lib/notify/rules";
import { mergeTransitions, type TransitionRow, type TriggerEvent } from "@/lib/notify/transitions";

// The router (a lib/jobs job, docs/notifications.md): reads the outbox's unrouted transitions in
// id order, merges them into changes, applies the rules and writes Notification rows, and marks
// the transitions routed, in one transaction per batch. Transitions are locked with SKIP LOCKED,
// so a second router (a hand-over while one still runs) takes other rows or none.

type Tx = Prisma.TransactionClient;

type Row = TransitionRow & { connectorId: number; errorCode: string; status: string; snoozedUntil: Date | null };

export type NotificationPayload = Readonly<{
  trigger: string;
  firstAt: string;
  lastAt: string;
  alerts: { alertId: number; severity: string; expired?: number }[];
}>;

const BATCH = 500;

/** Routes every unrouted transition; returns how many transitions were routed. */
export async function routeTransitions(db: Db, options: { now?: () => Date; signal?: AbortSignal } = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) return total;
    const routed = await db.$transaction((tx) => routeBatch(tx, now()), { timeout: 60_000 });
    total += routed;
    if (routed === 0) return total;
  }
}

async function routeBatch(tx: Tx, now: Date): Promise<number> {
  // Whole transactions at a time: the rows of one alert in one transaction are merged together.
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `WITH head AS (SELECT DISTINCT txid FROM (SELECT txid FROM "AlertTransition" WHERE "routedAt" IS NULL ORDER BY id LIMIT $1) h)
     SELECT t.id, t."alertId", t.kind, t.txid, t.at, t."oldSeverity", t.severity, t."oldResolved", t.resolved,
            t."oldExpiredCount", t."expiredCount", t."regressionOfId",
            a."connectorId", a."errorCode", a.status::text AS status, a."snoozedUntil"
     FROM "AlertTransition" t JOIN "Alert" a ON a.id = t."alertId"
     WHERE t."routedAt" IS NULL AND t.txid IN (SELECT txid FROM head)
     ORDER BY t.id FOR UPDATE OF t SKIP LOCKED`,
    BATCH,
  );
  if (rows.length === 0) return 0;
  const alerts = new Map(rows.map((r) => [r.alertId, r]));
  const rules = await loadRules(tx);
  const windows = await loadWindows(tx, [...new Set(rows.map((r) => r.connectorId))], rows);
  const notes = new Map<bigint, string>();
  for (const event of mergeTransitions(rows, (id) => alerts.get(id)!.errorCode)) {
    const alert = alerts.get(event.alertId)!;
    const quiet = quietReason(event.trigger, alert, alert.connectorId, event.at, windows);
    const matched = quiet ? [] : matchingRules({ trigger: event.trigger, code: alert.errorCode, connectorId: alert.connectorId, severity: event.severity }, rules);
    notes.set(event.firstId, quiet ?? (matched.length === 0 ? "no rule" : `${event.trigger} to ${matched.length} rule(s)`));
    for (const rule of matched) await notify(tx, rule, event, alert, now);
  }
  await tx.$executeRawUnsafe(
    `UPDATE "AlertTransition" t SET "routedAt" = $1, "routedNote" = n.note
     FROM unnest($2::bigint[]) AS r(id) LEFT JOIN unnest($3::bigint[], $4::text[]) AS n(id, note) ON n.id = r.id
     WHERE t.id = r.id`,
    now,
    rows.map((r) => r.id.toString()),
    [...notes.keys()].map(String),
    [...notes.values()],
  );
  return rows.length;
}

/**
 * One notification per channel, connector, code and trigger within the rule's window: a change
 * joins the group's notification while it still waits for its first try; otherwise a new one is
 * written, due when its window ends, or SUPPRESSED past the rule's daily limit.
 */
async function notify(tx: Tx, rule: Rule, event: TriggerEvent, alert: Row, now: Date): Promise<void> {
  const entry = { alertId: event.alertId, severity: event.severity, ...(event.expired ? { expired: event.expired } : {}) };
  const [open] = await tx.$queryRawUnsafe<{ id: number }[]>(
    `SELECT id FROM "Notification" WHERE "channelId" = $1 AND "connectorId" = $2 AND "errorCode" = $3 AND trigger = $4
       AND state = 'PENDING' AND attempts = 0 AND "nextAttemptAt" > $5
     ORDER BY id DESC LIMIT 1 FOR UPDATE SKIP LOCKED`,
    rule.channelId, alert.connectorId, alert.errorCode, event.trigger, now,
  );
  if (open) {
    await tx.$executeRawUnsafe(
      `UPDATE "Notification" SET "alertIds" = CASE WHEN $2 = ANY("alertIds") THEN "alertIds" ELSE "alertIds" || $2 END,
         payload = jsonb_set(jsonb_set(payload, '{lastAt}', to_jsonb($3::text)), '{alerts}', (payload->'alerts') || $4::jsonb),
         "updatedAt" = now()
       WHERE id = $1`,
      open.id, event.alertId, event.at.toISOString(), JSON.stringify([entry]),
    );
    return;
  }
  const [counted] = await tx.$queryRawUnsafe<{ sent: number }[]>(
    `SELECT count(*)::int AS sent FROM "Notification"
     WHERE "ruleId" = $1 AND state <> 'SUPPRESSED' AND "createdAt" >= ($2::timestamptz AT TIME ZONE $3)::date::timestamp AT TIME ZONE $3`,
    rule.id, now, rule.timeZone,
  );
  const limited = overDailyLimit(rule, counted?.sent ?? 0);
  const payload: NotificationPayload = { trigger: event.trigger, firstAt: event.at.toISOString(), lastAt: event.at.toISOString(), alerts: [entry] };
  await tx.$executeRawUnsafe(
    `INSERT INTO "Notification" (key, "channelId", "ruleId", trigger, "connectorId", "errorCode", "alertIds", payload, state,
       "nextAttemptAt", "lastError", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, ARRAY[$7::int], $8::jsonb, $9::"NotificationState", $10, $11, $12, $12)
     ON CONFLICT (key) DO NOTHING`,
    `mailflow-${rule.channelId}-${event.firstId}-${event.trigger}`,
    rule.channelId, rule.id, event.trigger, alert.connectorId, alert.errorCode, event.alertId, JSON.stringify(payload),
    limited ? "SUPPRESSED" : "PENDING",
    new Date(now.getTime() + rule.groupMinutes * 60_000),
    limited,
    now,
  );
}

async function loadRules(tx: Tx): Promise<Rule[]> {
  return tx.$queryRawUnsafe<Rule[]>(
    `SELECT r.id, r."channelId", COALESCE(r.triggers, '{}') AS triggers, COALESCE(r.codes, '{}') AS codes,
            COALESCE(r."connectorIds", '{}') AS "connectorIds", COALESCE(r.severities, '{}') AS severities, r."dailyLimit", r."groupMinutes", r."timeZone"
     FROM "NotificationRule" r JOIN "NotificationChannel" c ON c.id = r."channelId"
     WHERE r.enabled AND c.enabled ORDER BY r.id`,
  );
}

async function loadWindows(tx: Tx, connectorIds: number[], rows: readonly Row[]): Promise<Window[]> {
  const times = rows.map((r) => r.at.getTime());
  return tx.$queryRawUnsafe<Window[]>(
    `SELECT id, "connectorId", "startsAt", "endsAt" FROM "MaintenanceWindow"
     WHERE "connectorId" = ANY($1::int[]) AND "startsAt" <= $3 AND "endsAt" > $2`,
    connectorIds, new Date(Math.min(...times)), new Date(Math.max(...times)),
  );
}
