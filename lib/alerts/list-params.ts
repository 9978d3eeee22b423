import { CODE_GROUPS, codeGroup, type CodeGroup } from "@/lib/alerts/codes";
import {
  alertListQuerySchema,
  type AlertListQuery,
  CLOSED_STATUSES,
  OPEN_STATUSES,
  type AlertSort,
  type CodeTotal,
  type SortOrder,
  type StatusFilter,
} from "@/lib/alerts/schemas";
import { ALERT_STATUSES, SEVERITIES, type AlertStatus, type Severity } from "@/lib/db/enums";
import { parseDroppingInvalid } from "@/lib/http/search-params";

// Pure rules of the alert list: which statuses a filter means, which column a sort reads,
// and how the keyset cursor continues after the last row served.

export function statusesFor(filter: StatusFilter): readonly AlertStatus[] {
  if (filter === "active") return OPEN_STATUSES;
  if (filter === "resolved") return CLOSED_STATUSES;
  if (filter === "all") return ALERT_STATUSES;
  return [filter];
}

export const SORT_COLUMNS = {
  lastSeen: "lastSeenAt",
  firstSeen: "firstSeenAt",
  queued: "queuedCount",
  events: "eventCount",
  severity: "severity",
} as const satisfies Record<AlertSort, string>;

export type SortColumn = (typeof SORT_COLUMNS)[AlertSort];

/** The value a cursor stores for a row: ISO dates and counts as they are, severities by name. */
export type SortValue = string | number;

export type Keyset = { value: SortValue; id: number };

type SortableRow = { id: number; lastSeenAt: Date; firstSeenAt: Date; queuedCount: number; eventCount: number; severity: string };

export function keysetOf(row: SortableRow, sort: AlertSort): Keyset {
  const column = SORT_COLUMNS[sort];
  const raw = row[column];
  return { value: raw instanceof Date ? raw.toISOString() : raw, id: row.id };
}

/** Severities strictly after `value` in the requested order (Postgres orders the enum LOW < MEDIUM < HIGH). */
export function severitiesAfter(value: string, order: SortOrder): Severity[] {
  const rank = SEVERITIES.indexOf(value as Severity);
  if (rank < 0) return [];
  return order === "asc" ? SEVERITIES.slice(rank + 1) : SEVERITIES.slice(0, rank);
}

/** Tiles: every code of the catalogue plus "other", even when nothing is open. */
export function foldTotals(rows: readonly { errorCode: string; alerts: number; queued: number }[]): CodeTotal[] {
  const totals = new Map<CodeGroup, CodeTotal>(CODE_GROUPS.map((code) => [code, { code, activeAlerts: 0, queued: 0 }]));
  for (const row of rows) {
    const total = totals.get(codeGroup(row.errorCode));
    if (!total) continue;
    total.activeAlerts += row.alerts;
    total.queued += row.queued;
  }
  return [...totals.values()];
}

/** The list query a page URL describes; parameters that do not validate are dropped. */
export function listQueryFromSearch(params: Readonly<Record<string, string | string[] | undefined>>): AlertListQuery {
  const raw: Record<string, string> = {};
  for (const key of LIST_PARAM_KEYS) {
    const value = params[key];
    const single = Array.isArray(value) ? value[0] : value;
    if (single) raw[key] = single;
  }
  return parseDroppingInvalid(alertListQuerySchema, raw);
}

/** The search string of a list query, without defaults, so shared links stay short. */
export function listQueryToSearch(query: AlertListQuery): string {
  const params = new URLSearchParams();
  const defaults = alertListQuerySchema.parse({});
  for (const key of LIST_PARAM_KEYS) {
    const value = query[key];
    if (value === undefined || value === "" || value === defaults[key]) continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}

const LIST_PARAM_KEYS = ["status", "code", "connector", "q", "sort", "order", "cursor", "limit"] as const satisfies readonly (keyof AlertListQuery)[];
