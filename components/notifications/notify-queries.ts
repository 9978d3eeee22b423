"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch, apiSend } from "@/lib/http/api-client";
import {
  channelListSchema, channelRecordSchema, notificationLogPageSchema, ruleListSchema, ruleRecordSchema, testOutcomeSchema,
  windowListSchema, windowRecordSchema, type ChannelCreate, type ChannelPatch, type RuleCreate, type RulePatch, type WindowCreate,
} from "@/lib/notify/schemas";

// Notification settings from the browser (admins; the server checks the role).
export const notifyKeys = {
  all: ["notify"] as const,
  channels: () => [...notifyKeys.all, "channels"] as const,
  rules: () => [...notifyKeys.all, "rules"] as const,
  windows: () => [...notifyKeys.all, "windows"] as const,
  log: (before: string | undefined) => [...notifyKeys.all, "log", before ?? "first"] as const,
};

const LOG_POLL_MS = 10_000;
const nothing = z.null();

export function useChannels() {
  return useQuery({ queryKey: notifyKeys.channels(), queryFn: ({ signal }) => apiFetch("/api/notifications/channels", channelListSchema, { signal }) });
}

export function useSaveChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: ChannelCreate | ChannelPatch }) =>
      id === null
        ? apiSend("/api/notifications/channels", channelRecordSchema, { method: "POST", body })
        : apiSend(`/api/notifications/channels/${id}`, channelRecordSchema, { method: "PATCH", body }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.channels() }),
  });
}

export function useDeleteChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend(`/api/notifications/channels/${id}`, nothing, { method: "DELETE" }),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: notifyKeys.channels() }), client.invalidateQueries({ queryKey: notifyKeys.rules() })]),
  });
}

export function useSendTest() {
  return useMutation({ mutationFn: (id: number) => apiSend(`/api/notifications/channels/${id}/test`, testOutcomeSchema, { method: "POST" }) });
}

export function useRules() {
  return useQuery({ queryKey: notifyKeys.rules(), queryFn: ({ signal }) => apiFetch("/api/notifications/rules", ruleListSchema, { signal }) });
}

export function useCreateRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RuleCreate) => apiSend("/api/notifications/rules", ruleRecordSchema, { method: "POST", body }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.rules() }),
  });
}

export function useUpdateRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: RulePatch }) => apiSend(`/api/notifications/rules/${id}`, ruleRecordSchema, { method: "PATCH", body }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.rules() }),
  });
}

export function useDeleteRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend(`/api/notifications/rules/${id}`, nothing, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.rules() }),
  });
}

export function useWindows() {
  return useQuery({ queryKey: notifyKeys.windows(), queryFn: ({ signal }) => apiFetch("/api/notifications/maintenance", windowListSchema, { signal }) });
}

export function useCreateWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: WindowCreate) => apiSend("/api/notifications/maintenance", windowRecordSchema, { method: "POST", body }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.windows() }),
  });
}

export function useDeleteWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend(`/api/notifications/maintenance/${id}`, nothing, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.windows() }),
  });
}

export function useNotificationLog(before: string | undefined) {
  return useQuery({
    queryKey: notifyKeys.log(before),
    queryFn: ({ signal }) => apiFetch(`/api/notifications/log?limit=25${before ? `&before=${before}` : ""}`, notificationLogPageSchema, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: LOG_POLL_MS,
    refetchIntervalInBackground: false,
  });
}
