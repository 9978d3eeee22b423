"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useChannels, useDeleteRule, useRules, useUpdateRule } from "@/components/notifications/notify-queries";
import { RuleForm, triggerKey, type ConnectorOption } from "@/components/notifications/rule-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { RuleView } from "@/lib/notify/schemas";

export function RulesSection({ connectors }: Readonly<{ connectors: readonly ConnectorOption[] }>) {
  const t = useTranslations();
  const rules = useRules();
  const channels = useChannels();
  const update = useUpdateRule();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<RuleView | null>(null);
  const channelName = (id: number) => channels.data?.channels.find((c) => c.id === id)?.name ?? `#${id}`;
  const connectorName = (id: number) => connectors.find((c) => c.id === id)?.name ?? `#${id}`;
  const all = t("notifySettings.rules.all");
  const names = (items: readonly string[]) => (items.length === 0 ? all : items.join(", "));

  return (
    <Panel title={t("notifySettings.rules.title")} id="rules-heading" description={t("notifySettings.rules.intro")}>
      {rules.isPending ? <SkeletonRows rows={2} label={t("common.loading")} /> : null}
      {rules.error ? <ErrorState title={t("common.errorTitle")} message={rules.error.message} /> : null}
      {update.error || remove.error ? <p role="alert" className="mb-2 text-sm text-red-800">{(update.error ?? remove.error)?.message}</p> : null}
      {rules.data?.rules.length === 0 ? <EmptyState title={t("notifySettings.rules.empty")} body={t("notifySettings.rules.emptyBody")} /> : null}
      {rules.data && rules.data.rules.length > 0 ? (
        <Table caption={t("notifySettings.rules.title")}>
          <thead>
            <tr>
              <Th>{t("notifySettings.rules.channel")}</Th><Th>{t("notifySettings.rules.triggers")}</Th><Th>{t("notifySettings.rules.codes")}</Th>
              <Th>{t("notifySettings.rules.connectors")}</Th><Th>{t("notifySettings.rules.severities")}</Th><Th>{t("notifySettings.rules.dailyLimit")}</Th>
              <Th>{t("notifySettings.rules.state")}</Th><Th><span className="sr-only">{t("notifySettings.channels.actions")}</span></Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rules.data.rules.map((rule) => (
              <tr key={rule.id}>
                <Td className="font-medium text-slate-900">{channelName(rule.channelId)}</Td>
                <Td>{names(rule.triggers.map((x) => t(`notifySettings.triggers.${triggerKey(x)}`)))}</Td>
                <Td>{names(rule.codes)}</Td>
                <Td>{names(rule.connectorIds.map(connectorName))}</Td>
                <Td>{names(rule.severities.map((s) => t(`notifySettings.severities.${s}`)))}</Td>
                <Td className="whitespace-nowrap">
                  {t("notifySettings.rules.perDay", { count: rule.dailyLimit })} · {t("notifySettings.rules.minutes", { count: rule.groupMinutes })} · {rule.timeZone}
                </Td>
                <Td>{rule.enabled ? <Badge tone="success">{t("notifySettings.channels.enabled")}</Badge> : <Badge tone="muted">{t("notifySettings.channels.disabled")}</Badge>}</Td>
                <Td>
                  <div className="flex gap-2 whitespace-nowrap">
                    <Button size="sm" onClick={() => setEditing(rule)} aria-label={t("notifySettings.rules.editLabel", { channel: channelName(rule.channelId), id: rule.id })}>
                      {t("notifySettings.rules.edit")}
                    </Button>
                    <Button size="sm" disabled={update.isPending} onClick={() => update.mutate({ id: rule.id, body: { enabled: !rule.enabled } })}>
                      {rule.enabled ? t("notifySettings.rules.disable") : t("notifySettings.rules.enable")}
                    </Button>
                    <Button size="sm" variant="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(t("notifySettings.rules.deleteConfirm"))) remove.mutate(rule.id); }}>
                      {t("notifySettings.rules.delete")}
                    </Button>
                  </div>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <div className="mt-6 border-t border-slate-100 pt-4">
        {channels.data?.channels.length === 0 ? <p className="text-sm text-slate-600">{t("notifySettings.rules.needChannel")}</p> : <RuleForm key={editing?.id ?? "new"} connectors={connectors} editing={editing} onDone={() => setEditing(null)} />}
      </div>
    </Panel>
  );
}
