"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ChannelForm } from "@/components/notifications/channel-form";
import { useChannels, useDeleteChannel, useSendTest } from "@/components/notifications/notify-queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { ChannelView } from "@/lib/notify/schemas";

export function ChannelsSection() {
  const t = useTranslations();
  const channels = useChannels();
  const remove = useDeleteChannel();
  const [editing, setEditing] = useState<ChannelView | null>(null);
  const list = channels.data?.channels;

  return (
    <Panel title={t("notifySettings.channels.title")} id="channels-heading" description={t("notifySettings.channels.intro")}>
      {channels.isPending ? <SkeletonRows rows={2} label={t("common.loading")} /> : null}
      {channels.error ? <ErrorState title={t("common.errorTitle")} message={channels.error.message} /> : null}
      {remove.error ? <p role="alert" className="mb-2 text-sm text-red-800">{remove.error.message}</p> : null}
      {list?.length === 0 ? <EmptyState title={t("notifySettings.channels.empty")} body={t("notifySettings.channels.emptyBody")} /> : null}
      {list && list.length > 0 ? (
        <Table caption={t("notifySettings.channels.title")}>
          <thead>
            <tr>
              <Th>{t("notifySettings.channels.name")}</Th><Th>{t("notifySettings.channels.kind")}</Th><Th>{t("notifySettings.channels.language")}</Th>
              <Th>{t("notifySettings.channels.target")}</Th><Th>{t("notifySettings.channels.actions")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.map((channel) => (
              <ChannelRow
                key={channel.id}
                channel={channel}
                onEdit={() => setEditing(channel)}
                onDelete={() => { if (window.confirm(t("notifySettings.channels.deleteConfirm", { name: channel.name }))) remove.mutate(channel.id); }}
              />
            ))}
          </tbody>
        </Table>
      ) : null}
      <div className="mt-6 border-t border-slate-100 pt-4">
        <ChannelForm key={editing?.id ?? "new"} editing={editing} onDone={() => setEditing(null)} />
      </div>
    </Panel>
  );
}

function ChannelRow({ channel, onEdit, onDelete }: Readonly<{ channel: ChannelView; onEdit: () => void; onDelete: () => void }>) {
  const t = useTranslations("notifySettings.channels");
  const test = useSendTest();
  const outcome = test.data;
  return (
    <tr>
      <Td>
        <span className="font-medium text-slate-900">{channel.name}</span>
        {channel.enabled ? null : <Badge tone="muted" className="ml-2">{t("disabled")}</Badge>}
      </Td>
      <Td>{t(`kinds.${channel.kind}`)}</Td>
      <Td>{t(`languages.${channel.language}`)}</Td>
      <Td><code className="break-all text-xs" data-testid="secret-hint">{channel.secretHint ?? t("noSecret")}</code></Td>
      <Td>
        <div className="flex flex-wrap items-center gap-2">
          <Button size="sm" variant="primary" disabled={test.isPending} onClick={() => test.mutate(channel.id)} aria-label={`${t("sendTest")}: ${channel.name}`}>
            {test.isPending ? t("sending") : t("sendTest")}
          </Button>
          <Button size="sm" onClick={onEdit} aria-label={`${t("edit")}: ${channel.name}`}>{t("edit")}</Button>
          <Button size="sm" variant="danger" onClick={onDelete} aria-label={`${t("delete")}: ${channel.name}`}>{t("delete")}</Button>
        </div>
        <div role="status" className="mt-2 max-w-md text-sm">
          {outcome?.delivered ? <Badge tone="success">{t("testDelivered")}{outcome.detail ? ` (${outcome.detail})` : ""}</Badge> : null}
          {outcome && !outcome.delivered ? (
            <p className="text-red-800">{t("testFailed", { reason: outcome.detail ?? "" })} {outcome.retryable ? t("testRetryable") : null}</p>
          ) : null}
          {test.error ? <p className="text-red-800">{test.error.message}</p> : null}
        </div>
      </Td>
    </tr>
  );
}
