"use client";

import { useTimeZone, useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { FormError } from "@/components/notifications/form-error";
import { useChannels, useCreateRule, useUpdateRule } from "@/components/notifications/notify-queries";
import { invalidRuleFields, ruleBody, ruleFormDefaults, type RuleFormField } from "@/components/notifications/rule-form-values";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { ApiError } from "@/lib/http/api-client";
import type { RuleView } from "@/lib/notify/schemas";
import { NOTIFICATION_TRIGGERS } from "@/lib/notify/types";

export type ConnectorOption = Readonly<{ id: number; name: string }>;
const SEVERITIES = ["LOW", "MEDIUM", "HIGH"] as const;

/** The i18n key of a trigger (next-intl keys hold no dots). */
export const triggerKey = (trigger: string) => trigger.replace(".", "_");

/** Adds a rule, or changes every field of `editing`; a refused field says why in the page's language. */
export function RuleForm({ connectors, editing, onDone }: Readonly<{ connectors: readonly ConnectorOption[]; editing: RuleView | null; onDone: () => void }>) {
  const t = useTranslations("notifySettings");
  const channels = useChannels();
  const create = useCreateRule();
  const update = useUpdateRule();
  const save = editing ? update : create;
  const initial = ruleFormDefaults(editing, useTimeZone() ?? "UTC");
  const invalid = save.error instanceof ApiError ? invalidRuleFields(save.error.issues) : new Set<RuleFormField>();
  const issue = (field: RuleFormField) => (invalid.has(field) ? t(`rules.invalid.${field}`) : undefined);
  const id = editing ? `rule-${editing.id}` : "rule-new";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = ruleBody(new FormData(form));
    if (editing) update.mutate({ id: editing.id, body }, { onSuccess: onDone });
    else create.mutate(body, { onSuccess: () => form.reset() });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-900">{editing ? t("rules.editTitle") : t("rules.newTitle")}</h3>
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField id={`${id}-channel`} name="channelId" label={t("rules.channel")} defaultValue={initial.channelId} error={issue("channelId")}>
          {channels.data?.channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>
        <InputField id={`${id}-codes`} name="codes" label={t("rules.codes")} hint={t("rules.codesHint")} defaultValue={initial.codes} error={issue("codes")} className="sm:col-span-2" />
      </div>
      <Checkboxes legend={t("rules.triggers")} name="triggers" checked={initial.triggers} error={issue("triggers")}
        options={NOTIFICATION_TRIGGERS.map((x) => ({ value: x, label: t(`triggers.${triggerKey(x)}`) }))} />
      <Checkboxes legend={t("rules.severities")} name="severities" checked={initial.severities} error={issue("severities")}
        options={SEVERITIES.map((s) => ({ value: s, label: t(`severities.${s}`) }))} />
      {connectors.length > 0 ? (
        <Checkboxes legend={t("rules.connectors")} name="connectorIds" checked={initial.connectorIds} error={issue("connectorIds")}
          options={connectors.map((c) => ({ value: String(c.id), label: c.name }))} />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField id={`${id}-limit`} name="dailyLimit" type="number" min={1} max={10000} defaultValue={initial.dailyLimit} label={t("rules.dailyLimit")} error={issue("dailyLimit")} />
        <InputField id={`${id}-group`} name="groupMinutes" type="number" min={0} max={1440} defaultValue={initial.groupMinutes} label={t("rules.groupMinutes")} hint={t("rules.groupMinutesHint")} error={issue("groupMinutes")} />
        <InputField id={`${id}-zone`} name="timeZone" defaultValue={initial.timeZone} label={t("rules.timeZone")} hint={t("rules.timeZoneHint")} error={issue("timeZone")} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.isPending}>{save.isPending ? t("rules.saving") : editing ? t("rules.save") : t("rules.create")}</Button>
        {editing ? <Button onClick={onDone}>{t("rules.cancel")}</Button> : null}
      </div>
      <FormError error={save.error} />
    </form>
  );
}

type CheckboxesProps = { legend: string; name: string; checked: readonly string[]; error?: string; options: readonly { value: string; label: string }[] };

function Checkboxes({ legend, name, checked, error, options }: Readonly<CheckboxesProps>) {
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
            <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} className="size-4 rounded border-slate-300" />
            {o.label}
          </label>
        ))}
      </div>
      {error ? <p className="mt-1 text-xs font-medium text-red-800">{error}</p> : null}
    </fieldset>
  );
}
