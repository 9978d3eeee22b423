import { codeFilterSchema } from "@/lib/alerts/schemas";
import { isHistoryRangeName, type HistoryRangeName } from "@/lib/connectors/history-range";
import { EVENT_STATUSES, type EventStatus } from "@/lib/db/enums";

// The connector history page's URL: ?range=24h|7d|30d&status=&code= (invalid values fall back).
export type HistoryView = { range: HistoryRangeName; status?: EventStatus; code?: string };

export function historyViewFromSearch(params: Readonly<Record<string, string | string[] | undefined>>): HistoryView {
  const one = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const range = one("range");
  const status = one("status");
  const code = codeFilterSchema.safeParse(one("code"));
  return {
    range: isHistoryRangeName(range) ? range : "24h",
    status: EVENT_STATUSES.find((s) => s === status),
    code: code.success ? code.data : undefined,
  };
}

export function historyViewToSearch(view: HistoryView): string {
  const params = new URLSearchParams();
  if (view.range !== "24h") params.set("range", view.range);
  if (view.status) params.set("status", view.status);
  if (view.code) params.set("code", view.code);
  const search = params.toString();
  return search ? `?${search}` : "";
}
