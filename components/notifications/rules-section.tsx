"use client";

import { useTimeZone, useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { useChannels, useCreateRule, useDeleteRule, useRules, useUpdateRule } from "@/components/notifications/notify-queries";
import { Badge } from "@/components/ui/badge";
import { FormError, fieldIssue } from "@/components/notifications/form-error";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { RuleCreate } from "@/lib/notify/schemas";
import { NOTIFICATION_TRIGGERS } from "@/lib/notify/types";

export type ConnectorOption = Readonly<{ id: number; name: string }>;
const SEVERITIES = ["LOW", "MEDIUM", "HIGH"] as const;

/** The i18n key of a trigger (next-intl keys hold no dots). */
export const triggerKey = (trigger: string) => trigger.replace(".", "_");

export function RulesSection({ connectors }: Readonly<{ connectors: readonly ConnectorOption[] }>) {
  const t = useTranslations();
  const rules = useRules();
  const channels = useChannels();
  const update = useUpdateRule();
  const remove = useDeleteRule();
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
        {channels.data?.channels.length === 0 ? <p className="text-sm text-slate-600">{t("notifySettings.rules.needChannel")}</p> : <RuleForm connectors={connectors} />}
      </div>
    </Panel>
  );
}

function RuleForm({ connectors }: Readonly<{ connectors: readonly ConnectorOption[] }>) {
  const t = useTranslations("notifySettings");
  const channels = useChannels();
  const create = useCreateRule();
  const zone = useTimeZone() ?? "UTC";
  const issue = (field: string) => fieldIssue(create.error, field);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: RuleCreate = {
      channelId: Number(data.get("channelId")),
      triggers: data.getAll("triggers").map(String) as RuleCreate["triggers"],
      codes: String(data.get("codes") ?? "").split(/[\s,;]+/).filter(Boolean),
      connectorIds: data.getAll("connectorIds").map(Number),
      severities: data.getAll("severities").map(String) as RuleCreate["severities"],
      dailyLimit: Number(data.get("dailyLimit")),
      groupMinutes: Number(data.get("groupMinutes")),
      timeZone: String(data.get("timeZone") ?? "").trim(),
    };
    create.mutate(body, { onSuccess: () => form.reset() });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby="rule-new-title" noValidate>
      <h3 id="rule-new-title" className="text-sm font-semibold text-slate-900">{t("rules.newTitle")}</h3>
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField id="rule-channel" name="channelId" label={t("rules.channel")} error={issue("channelId")}>
          {channels.data?.channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>
        <InputField id="rule-codes" name="codes" label={t("rules.codes")} hint={t("rules.codesHint")} error={issue("codes")} className="sm:col-span-2" />
      </div>
      <Checkboxes legend={t("rules.triggers")} name="triggers" options={NOTIFICATION_TRIGGERS.map((x) => ({ value: x, label: t(`triggers.${triggerKey(x)}`) }))} />
      <Checkboxes legend={t("rules.severities")} name="severities" options={SEVERITIES.map((s) => ({ value: s, label: t(`severities.${s}`) }))} />
      {connectors.length > 0 ? <Checkboxes legend={t("rules.connectors")} name="connectorIds" options={connectors.map((c) => ({ value: String(c.id), label: c.name }))} /> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField id="rule-limit" name="dailyLimit" type="number" min={1} max={10000} defaultValue={100} label={t("rules.dailyLimit")} error={issue("dailyLimit")} />
        <InputField id="rule-group" name="groupMinutes" type="number" min={0} max={1440} defaultValue={5} label={t("rules.groupMinutes")} hint={t("rules.groupMinutesHint")} error={issue("groupMinutes")} />
        <InputField id="rule-zone" name="timeZone" defaultValue={zone} label={t("rules.timeZone")} hint={t("rules.timeZoneHint")} error={issue("timeZone")} />
      </div>
      <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? t("rules.saving") : t("rules.create")}</Button>
      <FormError error={create.error} />
    </form>
  );
}

function Checkboxes({ legend, name, options }: Readonly<{ legend: string; name: string; options: readonly { value: string; label: string }[] }>) {
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
            <input type="checkbox" name={name} value={o.value} className="size-4 rounded border-slate-300" />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
