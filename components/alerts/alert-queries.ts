"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { listQueryToSearch } from "@/lib/alerts/list-params";
import { alertDetailSchema, alertListSchema, type AlertDetail, type AlertList, type AlertListQuery } from "@/lib/alerts/schemas";
import { apiFetch } from "@/lib/http/api-client";

// Query keys and fetchers of the alerts feature. Mutations invalidate `alertKeys.all` (lists and
// tiles) and `alertKeys.detail(id)`.
export const POLL_MS = 10_000;

export const alertKeys = {
  all: ["alerts"] as const,
  lists: () => [...alertKeys.all, "list"] as const,
  list: (query: AlertListQuery) => [...alertKeys.lists(), query] as const,
  details: () => [...alertKeys.all, "detail"] as const,
  detail: (id: number) => [...alertKeys.details(), id] as const,
  messages: (id: number, cursor: string) => [...alertKeys.detail(id), "messages", cursor] as const,
};

export function fetchAlerts(query: AlertListQuery, signal?: AbortSignal): Promise<AlertList> {
  return apiFetch(`/api/alerts${listQueryToSearch(query)}`, alertListSchema, { signal });
}

export function fetchAlertDetail(id: number, signal?: AbortSignal, messagesCursor?: string): Promise<AlertDetail> {
  const search = messagesCursor ? `?${new URLSearchParams({ messagesCursor })}` : "";
  return apiFetch(`/api/alerts/${id}${search}`, alertDetailSchema, { signal });
}

/** The alert list, polled every 10 s while the tab is visible. */
export function useAlertList(query: AlertListQuery, initial?: { data: AlertList; at: number }) {
  return useQuery({
    queryKey: alertKeys.list(query),
    queryFn: ({ signal }) => fetchAlerts(query, signal),
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** One alert, polled until it reaches a closed state (resolved or dismissed). */
export function useAlertDetail(id: number, initial?: { data: AlertDetail; at: number }) {
  return useQuery({
    queryKey: alertKeys.detail(id),
    queryFn: ({ signal }) => fetchAlertDetail(id, signal),
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
    refetchInterval: (q) => (isClosed(q.state.data) ? false : POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/** A later page of an alert's messages; the first page comes with the detail. */
export function useAlertMessages(id: number, cursor: string | undefined) {
  return useQuery({
    queryKey: alertKeys.messages(id, cursor ?? ""),
    queryFn: ({ signal }) => fetchAlertDetail(id, signal, cursor),
    select: (detail) => detail.messages,
    enabled: cursor !== undefined,
    placeholderData: keepPreviousData,
  });
}

function isClosed(detail: AlertDetail | undefined): boolean {
  return detail?.alert.status === "RESOLVED" || detail?.alert.status === "DISMISSED";
}
