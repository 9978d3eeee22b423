"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createdTokenSchema, tokenListSchema, tokenSchema, userListSchema, userSchema, type CreateUserBody } from "@/lib/auth/schemas";
import type { Role } from "@/lib/auth/roles";
import { apiFetch, apiSend } from "@/lib/http/api-client";

// Users and ingest tokens from the browser (admins only; the server checks the role).
export const settingsKeys = {
  users: ["settings", "users"] as const,
  tokens: ["settings", "tokens"] as const,
};

export function useUsers() {
  return useQuery({ queryKey: settingsKeys.users, queryFn: ({ signal }) => apiFetch("/api/users", userListSchema, { signal }) });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => apiSend("/api/users", userSchema, { method: "POST", body }),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.users }),
  });
}

export function useSetRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => apiSend(`/api/users/${encodeURIComponent(id)}`, userSchema, { method: "PATCH", body: { role } }),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.users }),
  });
}

export function useTokens() {
  return useQuery({ queryKey: settingsKeys.tokens, queryFn: ({ signal }) => apiFetch("/api/tokens", tokenListSchema, { signal }) });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiSend("/api/tokens", createdTokenSchema, { method: "POST", body: { name } }),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.tokens }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend(`/api/tokens/${id}`, tokenSchema, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.tokens }),
  });
}
