"use client";

import { useQuery } from "@tanstack/react-query";
import { POLL_MS } from "@/components/alerts/alert-queries";
import { domainListSchema, type DomainList } from "@/lib/domains/schemas";
import { apiFetch } from "@/lib/http/api-client";

// Query keys and the fetcher of the accepted domains page.
export const domainKeys = {
  all: ["domains"] as const,
  list: () => [...domainKeys.all, "list"] as const,
};

export function useDomainList(initial: { data: DomainList; at: number }) {
  return useQuery({
    queryKey: domainKeys.list(),
    queryFn: ({ signal }) => apiFetch("/api/domains", domainListSchema, { signal }),
    initialData: initial.data,
    initialDataUpdatedAt: initial.at,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}
