"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { alertKeys } from "@/components/alerts/alert-queries";
import { connectorKeys } from "@/components/connectors/connector-queries";
import { domainKeys } from "@/components/domains/domain-queries";
import { apiFetch, apiSend } from "@/lib/http/api-client";
import { applyResultSchema, storedPreviewSchema, type Resolution } from "@/lib/organisation/import-schemas";

// The Exchange import from the browser: upload the files for a preview, apply it by its id.

export function usePreviewImport() {
  return useMutation({
    // The browser sets the multipart content type (with its boundary) for a FormData body.
    mutationFn: (form: FormData) => apiFetch("/api/organisation/import", storedPreviewSchema, { method: "POST", body: form }),
  });
}

export function useApplyImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, resolutions }: { id: string; resolutions: Record<string, Resolution> }) =>
      apiSend(`/api/organisation/import/${encodeURIComponent(id)}/apply`, applyResultSchema, { method: "POST", body: { resolutions } }),
    // Connectors, domains and, through Fix now's tenant state, alerts may all have changed.
    onSettled: () =>
      Promise.all([connectorKeys.all, domainKeys.all, alertKeys.all].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
