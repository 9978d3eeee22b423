import { auditFilterOf, auditQuerySchema, type AuditFilter } from "@/lib/audit/schemas";
import { parseDroppingInvalid } from "@/lib/http/search-params";

// Pure: the audit log page's URL (?from&to&actor&action&targetType) to and from its filter, so a
// search is shareable and the Export CSV link carries exactly what the page shows.

const FILTER_KEYS = ["from", "to", "actor", "action", "targetType"] as const satisfies readonly (keyof AuditFilter)[];

/** The filter a URL describes; parameters that do not validate are dropped. */
export function auditFilterFromSearch(params: Readonly<Record<string, string | string[] | undefined>>): AuditFilter {
  const raw: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params[key];
    const single = Array.isArray(value) ? value[0] : value;
    if (single) raw[key] = single;
  }
  return auditFilterOf(parseDroppingInvalid(auditQuerySchema, raw));
}

/** The query string of a filter (and a page's cursor), empty values left out: `?actor=…`, or "". */
export function auditFilterToSearch(filter: AuditFilter, cursor?: string): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (cursor) params.set("cursor", cursor);
  const search = params.toString();
  return search ? `?${search}` : "";
}
