"use client";

import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { alertKeys, POLL_MS } from "@/components/alerts/alert-queries";
import { connectorKeys } from "@/components/connectors/connector-queries";
import { alertActionResultSchema, type AlertActionBody } from "@/lib/alerts/action-schemas";
import { apiFetch, ApiError, apiSend } from "@/lib/http/api-client";
import { fixNowViewSchema } from "@/lib/remediation/schemas";

// Fix now, Undo and the alert actions from the browser. Each mutation invalidates the alert
// (its detail and every list and tile) and, for Fix now and Undo, the connectors it changed, so
// every page shows the new state without a reload (the domains page is rendered on the server).
export const remediationKeys = {
  fixNow: (alertId: number) => [...alertKeys.detail(alertId), "fix-now"] as const,
};

export function useFixNowView(alertId: number, enabled: boolean) {
  return useQuery({
    queryKey: remediationKeys.fixNow(alertId),
    queryFn: ({ signal }) => apiFetch(`/api/alerts/${alertId}/fix-now`, fixNowViewSchema, { signal }),
    enabled,
    // Polled like the alert, so a Fix now or Undo from another tab or admin shows up here too.
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function useApplyFixNow(alertId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (expectedDomainIds: readonly number[]) =>
      apiSend(`/api/alerts/${alertId}/fix-now`, fixNowViewSchema, { method: "POST", body: { expectedDomainIds } }),
    onSuccess: (view) => client.setQueryData(remediationKeys.fixNow(alertId), view),
    onSettled: () => invalidateAfterRemediation(client),
  });
}

export function useUndoFixNow(alertId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend(`/api/alerts/${alertId}/fix-now/undo`, fixNowViewSchema, { method: "POST" }),
    onSuccess: (view) => client.setQueryData(remediationKeys.fixNow(alertId), view),
    onSettled: () => invalidateAfterRemediation(client),
  });
}

export function useAlertAction(alertId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: AlertActionBody) => apiSend(`/api/alerts/${alertId}/actions`, alertActionResultSchema, { method: "POST", body: action }),
    // Also on a refusal: a 409 means someone else changed the alert, so show their change.
    onSettled: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

/** A refusal because someone else got there first: the UI says so and shows the fresh state. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

/** mutate() callbacks of a confirmation dialog: it closes when done, and on a 409 too. */
export function closesDialog(close: () => void) {
  return {
    onSuccess: close,
    onError: (error: Error) => {
      if (isConflict(error)) close();
    },
  };
}

function invalidateAfterRemediation(client: QueryClient) {
  return Promise.all([
    // Under alertKeys.all: every list, tile and detail, including this alert's Fix now view.
    client.invalidateQueries({ queryKey: alertKeys.all }),
    client.invalidateQueries({ queryKey: connectorKeys.all }),
  ]);
}
