"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { alertKeys, POLL_MS } from "@/components/alerts/alert-queries";
import { connectorKeys } from "@/components/connectors/connector-queries";
import { apiFetch, apiStream, ApiError } from "@/lib/http/api-client";
import { validationLineSchema, validationPageSchema, type ProbeStepView, type ValidationView } from "@/lib/probe/schemas";

// "Validate connector" from the browser: the history of a connector's validations, and the run,
// whose steps arrive one by one while the server works. A finished run refreshes the history, the
// connector's timeline and the alerts (a validation's observations raise or resolve alerts).

const PAGE = 10;

export const validationKeys = {
  all: ["validations"] as const,
  of: (connectorId: number) => [...validationKeys.all, connectorId] as const,
};

export function useValidationHistory(connectorId: number) {
  return useInfiniteQuery({
    queryKey: validationKeys.of(connectorId),
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(PAGE), ...(pageParam ? { before: String(pageParam) } : {}) });
      return apiFetch(`/api/connectors/${connectorId}/validations?${search}`, validationPageSchema, { signal });
    },
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    // Scheduled validations appear as the connector's history does: polled while the tab is seen.
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export type LiveStep = { target: { host: string; address: string | null; port: number }; step: ProbeStepView };

/** Runs a validation; `onStep` sees each step as the server reports it. */
export function useValidateConnector(connectorId: number, onStep: (live: LiveStep) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ recipient }: { recipient: string }): Promise<ValidationView> => {
      const end: { result?: ValidationView; stopped?: string } = {};
      const body = recipient.trim() === "" ? {} : { recipient: recipient.trim() };
      await apiStream(`/api/connectors/${connectorId}/validations`, validationLineSchema, { method: "POST", body }, (line) => {
        if (line.type === "step") onStep({ target: line.target, step: line.step });
        else if (line.type === "result") end.result = line.validation;
        else end.stopped = line.message;
      });
      if (end.result) return end.result;
      throw new ApiError({ status: 500, code: "stopped", message: end.stopped ?? "The server ended the answer before the result." });
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: validationKeys.of(connectorId) }),
        client.invalidateQueries({ queryKey: connectorKeys.historyOf(connectorId) }),
        client.invalidateQueries({ queryKey: connectorKeys.list() }),
        client.invalidateQueries({ queryKey: alertKeys.all }),
      ]),
  });
}
