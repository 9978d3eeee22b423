"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { alertKeys } from "@/components/alerts/alert-queries";
import { connectorKeys } from "@/components/connectors/connector-queries";
import { apiFetch } from "@/lib/http/api-client";
import { traceImportSummarySchema } from "@/lib/sources/exchange-trace/schemas";

// The message trace import from the browser: upload one file, get the run's summary.
export function useTraceImport() {
  const client = useQueryClient();
  return useMutation({
    // The browser sets the multipart content type (with its boundary) for a FormData body.
    mutationFn: (form: FormData) => apiFetch("/api/sources/trace-import", traceImportSummarySchema, { method: "POST", body: form }),
    // New events move alerts, queues and the connectors' history.
    onSettled: () => Promise.all([alertKeys.all, connectorKeys.all].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
