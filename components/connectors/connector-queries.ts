"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { POLL_MS } from "@/components/alerts/alert-queries";
import { namedRangeQuery, type HistoryRangeName } from "@/lib/connectors/history-range";
import {
  connectorListSchema,
  eventsPageSchema,
  historySchema,
  type ConnectorHistory,
  type ConnectorList,
  type EventsPage,
} from "@/lib/connectors/schemas";
import { apiFetch } from "@/lib/http/api-client";

// Query keys and fetchers of the connectors feature. Fix now invalidates `connectorKeys.all`; the
// connector and domain forms invalidate the list and the histories they change.
export type EventFilters = { status?: string; code?: string; cursor?: string };

export const connectorKeys = {
  all: ["connectors"] as const,
  list: () => [...connectorKeys.all, "list"] as const,
  /** Every range of every connector's history, and of one: what the forms invalidate. */
  histories: () => [...connectorKeys.all, "history"] as const,
  historyOf: (id: number) => [...connectorKeys.histories(), id] as const,
  history: (id: number, range: HistoryRangeName) => [...connectorKeys.historyOf(id), range] as const,
  events: (id: number, filters: EventFilters) => [...connectorKeys.all, "events", id, filters] as const,
};

export function useConnectorList(initial: { data: ConnectorList; at: number }) {
  return useQuery({
    queryKey: connectorKeys.list(),
    queryFn: ({ signal }) => apiFetch("/api/connectors", connectorListSchema, { signal }),
    initialData: initial.data,
    initialDataUpdatedAt: initial.at,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** The window always ends now: each poll moves it forward. */
export function useConnectorHistory(id: number, range: HistoryRangeName, initial?: { data: ConnectorHistory; at: number }) {
  return useQuery({
    queryKey: connectorKeys.history(id, range),
    queryFn: ({ signal }) => {
      const search = new URLSearchParams(namedRangeQuery(range, new Date()));
      return apiFetch(`/api/connectors/${id}/history?${search}`, historySchema, { signal });
    },
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function useConnectorEvents(id: number, filters: EventFilters, initial?: { data: EventsPage; at: number }) {
  return useQuery({
    queryKey: connectorKeys.events(id, filters),
    queryFn: ({ signal }) => {
      const search = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])));
      return apiFetch(`/api/connectors/${id}/events?${search}`, eventsPageSchema, { signal });
    },
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
    placeholderData: keepPreviousData,
  });
}
