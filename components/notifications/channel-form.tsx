"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useSaveChannel } from "@/components/notifications/notify-queries";
import { FormError, fieldIssue } from "@/components/notifications/form-error";
import { Button } from "@/components/ui/button";
import { InputField, SelectField, TextAreaField } from "@/components/ui/field";
import type { ChannelCreate, ChannelView } from "@/lib/notify/schemas";
import { CHANNEL_KINDS, type ChannelKind } from "@/lib/notify/types";

/** Adds a channel, or changes `editing`: its secret fields start empty and, left empty, keep the saved secret. */
export function ChannelForm({ editing, onDone }: Readonly<{ editing: ChannelView | null; onDone: () => void }>) {
  const t = useTranslations("notifySettings");
  const save = useSaveChannel();
  const [kind, setKind] = useState<ChannelKind>(editing?.kind ?? "webhook");
  const [saved, setSaved] = useState(false);
  const issue = (field: string) => fieldIssue(save.error, field);
  const keep = editing?.hasSecret ? t("channelForm.keepSecret", { hint: editing.secretHint ?? "…" }) : undefined;
  const settings = editing?.settings ?? {};
  const id = editing ? `channel-${editing.id}` : "channel-new";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = channelFields(kind, new FormData(form), editing !== null);
    const body = editing ? fields : { ...fields, kind };
    setSaved(false);
    save.mutate({ id: editing?.id ?? null, body }, {
      onSuccess: () => { form.reset(); setSaved(true); onDone(); },
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
        {editing ? t("channelForm.editTitle", { name: editing.name }) : t("channelForm.newTitle")}
      </h3>
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField id={`${id}-name`} name="name" label={t("channels.name")} required maxLength={100} defaultValue={editing?.name} error={issue("name")} />
        <SelectField id={`${id}-kind`} name="kind" label={t("channels.kind")} value={kind} disabled={editing !== null} onChange={(e) => setKind(e.target.value as ChannelKind)}>
          {CHANNEL_KINDS.map((k) => <option key={k} value={k}>{t(`channels.kinds.${k}`)}</option>)}
        </SelectField>
        <SelectField id={`${id}-language`} name="language" label={t("channels.language")} defaultValue={editing?.language ?? "en"}>
          <option value="en">{t("channels.languages.en")}</option>
          <option value="sv">{t("channels.languages.sv")}</option>
        </SelectField>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {kind === "email" ? (
          <>
            <InputField id={`${id}-smtp`} name="secret" type="password" autoComplete="off" label={t("channelForm.smtpUrl")} hint={keep ?? t("channelForm.smtpUrlHint")} error={issue("secret")} />
            <InputField id={`${id}-from`} name="from" type="email" label={t("channelForm.from")} defaultValue={text(settings.from)} error={issue("settings.from")} />
            <TextAreaField id={`${id}-recipients`} name="recipients" rows={2} label={t("channelForm.recipients")} hint={t("channelForm.recipientsHint")} defaultValue={list(settings.recipients)} error={issue("settings.recipients")} className="sm:col-span-2" />
          </>
        ) : null}
        {kind === "webhook" ? (
          <>
            <InputField id={`${id}-url`} name="url" type="password" autoComplete="off" label={t("channelForm.webhookUrl")} hint={keep} error={issue("secret.url")} />
            <InputField id={`${id}-signing`} name="signingSecret" type="password" autoComplete="off" label={t("channelForm.signingSecret")} hint={t("channelForm.signingSecretHint")} error={issue("secret.signingSecret")} />
          </>
        ) : null}
        {kind === "teams" || kind === "slack" ? (
          <InputField id={`${id}-incoming`} name="secret" type="password" autoComplete="off" label={t("channelForm.incomingUrl")} hint={keep} error={issue("secret")} className="sm:col-span-2" />
        ) : null}
        {kind === "alertmanager" ? (
          <InputField id={`${id}-base`} name="baseUrl" type="url" label={t("channelForm.baseUrl")} hint={t("channelForm.baseUrlHint")} defaultValue={text(settings.baseUrl)} error={issue("settings.baseUrl")} className="sm:col-span-2" />
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? t("channelForm.saving") : editing ? t("channelForm.save") : t("channelForm.create")}
        </Button>
        {editing ? <Button onClick={onDone}>{t("channelForm.cancel")}</Button> : null}
        {saved && !editing ? <p role="status" className="text-sm text-emerald-800">{t("channelForm.saved")}</p> : null}
      </div>
      <FormError error={save.error} />
    </form>
  );
}

/** The request body: on an edit, secret fields left empty are left out (the saved secret stays). */
function channelFields(kind: ChannelKind, data: FormData, editing: boolean): Omit<ChannelCreate, "kind"> {
  const field = (name: string) => String(data.get(name) ?? "").trim();
  const base = { name: field("name"), language: field("language") === "sv" ? "sv" as const : "en" as const };
  const secretOrKeep = (secret: string | null) => (editing && secret === null ? {} : { secret });
  switch (kind) {
    case "email":
      return { ...base, settings: { from: field("from"), recipients: field("recipients").split(/[\s,;]+/).filter(Boolean) }, ...secretOrKeep(field("secret") || null) };
    case "webhook": {
      const url = field("url");
      const signingSecret = String(data.get("signingSecret") ?? "");
      return { ...base, ...secretOrKeep(url || signingSecret ? JSON.stringify({ url, signingSecret }) : null) };
    }
    case "teams":
    case "slack":
      return { ...base, ...secretOrKeep(field("secret") || null) };
    case "alertmanager":
      return { ...base, settings: { baseUrl: field("baseUrl") } };
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.join(", ") : "";
}
