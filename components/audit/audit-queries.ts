"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { auditFilterToSearch } from "@/lib/audit/filter-params";
import { auditPageSchema, type AuditFilter } from "@/lib/audit/schemas";
import { apiFetch } from "@/lib/http/api-client";

// The audit log from the browser (admins only; the server checks the role).
export const auditKeys = {
  all: ["audit"] as const,
  list: (filter: AuditFilter, cursor: string | undefined) => [...auditKeys.all, "list", filter, cursor ?? null] as const,
};

export function useAuditLog(filter: AuditFilter, cursor: string | undefined) {
  return useQuery({
    queryKey: auditKeys.list(filter, cursor),
    queryFn: ({ signal }) => apiFetch(`/api/audit${auditFilterToSearch(filter, cursor)}`, auditPageSchema, { signal }),
    placeholderData: keepPreviousData,
  });
}
