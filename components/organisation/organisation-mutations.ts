"use client";

import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { connectorKeys } from "@/components/connectors/connector-queries";
import { domainKeys } from "@/components/domains/domain-queries";
import { connectorRecordSchema, type ConnectorRecord } from "@/lib/connectors/schemas";
import { apiSend } from "@/lib/http/api-client";
import { deletedSchema, domainSchema, type ConnectorBody, type ConnectorPatch, type Deleted, type DomainBody, type DomainPatch } from "@/lib/organisation/schemas";

// Writes of connectors and accepted domains from the browser (admins; the server checks the
// role). Each invalidates the lists and the connector histories its change shows on.

export function useSaveConnector() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: ConnectorBody }) =>
      id === null
        ? apiSend("/api/connectors", connectorRecordSchema, { method: "POST", body })
        : apiSend(`/api/connectors/${id}`, connectorRecordSchema, { method: "PATCH", body }),
    onSettled: (saved, _error, { id }) => invalidateConnector(client, saved?.id ?? id),
  });
}

export type ConnectorAction = { kind: "enable" | "disable" | "retire" | "restore" | "delete"; id: number };

/** Enable, disable, retire, restore or delete one connector. */
export function useConnectorAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, id }: ConnectorAction): Promise<ConnectorRecord | Deleted> => {
      const url = `/api/connectors/${id}`;
      if (kind === "delete") return apiSend(url, deletedSchema, { method: "DELETE" });
      if (kind === "retire") return apiSend(`${url}/retire`, connectorRecordSchema, { method: "POST" });
      if (kind === "restore") return apiSend(`${url}/retire`, connectorRecordSchema, { method: "DELETE" });
      const patch: ConnectorPatch = { enabled: kind === "enable" };
      return apiSend(url, connectorRecordSchema, { method: "PATCH", body: patch });
    },
    onSettled: (_result, _error, { id }) => invalidateConnector(client, id),
  });
}

export function useSaveDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: DomainBody | DomainPatch }) =>
      id === null
        ? apiSend("/api/domains", domainSchema, { method: "POST", body })
        : apiSend(`/api/domains/${id}`, domainSchema, { method: "PATCH", body }),
    onSettled: () => invalidateDomains(client),
  });
}

export function useDeleteDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend(`/api/domains/${id}`, deletedSchema, { method: "DELETE" }),
    onSettled: () => invalidateDomains(client),
  });
}

/** A connector's card and history, and the domains page, which names it. */
function invalidateConnector(client: QueryClient, id: number | null) {
  return Promise.all([
    client.invalidateQueries({ queryKey: connectorKeys.list() }),
    client.invalidateQueries({ queryKey: domainKeys.list() }),
    ...(id === null ? [] : [client.invalidateQueries({ queryKey: connectorKeys.historyOf(id) })]),
  ]);
}

/** A domain shows on the domains page, on its connectors' cards and on their timelines. */
function invalidateDomains(client: QueryClient) {
  return Promise.all([
    client.invalidateQueries({ queryKey: domainKeys.list() }),
    client.invalidateQueries({ queryKey: connectorKeys.list() }),
    client.invalidateQueries({ queryKey: connectorKeys.histories() }),
  ]);
}
