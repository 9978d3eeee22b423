"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { FormButtons, FormErrors, useFieldIssues } from "@/components/organisation/form-parts";
import {
  CONNECTOR_FORM_FIELDS, connectorBody, connectorFormValues, type ConnectorFormField, type ConnectorFormValues,
} from "@/components/organisation/form-values";
import { useSaveConnector } from "@/components/organisation/organisation-mutations";
import { InputField, SelectField, TextAreaField } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import type { ConnectorRecord } from "@/lib/connectors/schemas";
import { CONNECTOR_KINDS, TLS_MODES, type ConnectorKind, type TlsMode } from "@/lib/db/enums";
import { MAX_COMMENT, MAX_CONNECTOR_NAME } from "@/lib/organisation/connector-fields";

type Props = {
  open: boolean;
  /** The connector to edit; null adds one. */
  connector: ConnectorRecord | null;
  onClose: () => void;
  onSaved: (saved: ConnectorRecord) => void;
};

/** Adds or edits a connector in a modal dialog; the server's per-field issues show at each input. */
export function ConnectorForm({ open, connector, onClose, onSaved }: Readonly<Props>) {
  const save = useSaveConnector();
  const titleId = useId();
  const close = () => {
    save.reset();
    onClose();
  };
  return (
    <Modal open={open} labelledBy={titleId} busy={save.isPending} onClose={close} width="lg" testId="connector-form">
      <ConnectorFormBody
        titleId={titleId}
        connector={connector}
        save={save}
        onCancel={close}
        onSaved={(saved) => {
          save.reset();
          onSaved(saved);
        }}
      />
    </Modal>
  );
}

type BodyProps = {
  titleId: string;
  connector: ConnectorRecord | null;
  save: ReturnType<typeof useSaveConnector>;
  onCancel: () => void;
  onSaved: (saved: ConnectorRecord) => void;
};

function ConnectorFormBody({ titleId, connector, save, onCancel, onSaved }: Readonly<BodyProps>) {
  const t = useTranslations();
  const tf = useTranslations("organisation.connectorForm");
  const [values, setValues] = useState<ConnectorFormValues>(() => connectorFormValues(connector));
  const set = <K extends keyof ConnectorFormValues>(key: K, value: ConnectorFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  // The rule about routing by MX record is about the smart hosts.
  const [issues, formRef] = useFieldIssues(save.error, CONNECTOR_FORM_FIELDS, "connector", { useMxRecord: "smartHosts" });
  const error = (field: ConnectorFormField) => issues.byField[field] ?? null;
  // The form asks in hours and the API in minutes, so the API's message about minutes is said here in hours.
  const [unreadableLifetime, setUnreadableLifetime] = useState(false);
  const lifetimeError = unreadableLifetime || error("queueLifetimeMinutes") ? tf("queueLifetimeInvalid") : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const body = connectorBody(values);
    setUnreadableLifetime(body === null);
    if (body === null) formRef.current?.querySelector<HTMLElement>("#connector-queueLifetimeMinutes")?.focus();
    else save.mutate({ id: connector?.id ?? null, body }, { onSuccess: onSaved });
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-4 px-6 py-5">
      <h2 id={titleId} className="text-lg font-semibold">
        {connector ? tf("editTitle", { name: connector.name }) : tf("addTitle")}
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField id="connector-name" label={tf("name")} value={values.name} onChange={(e) => set("name", e.target.value)} required maxLength={MAX_CONNECTOR_NAME} hint={tf("nameHint")} error={error("name")} data-autofocus className="sm:col-span-2" />
        <SelectField id="connector-kind" label={tf("kind")} value={values.kind} onChange={(e) => set("kind", e.target.value as ConnectorKind)} error={error("kind")} className="sm:col-span-2">
          {CONNECTOR_KINDS.map((k) => <option key={k} value={k}>{t(`connectorKind.${k}`)}</option>)}
        </SelectField>
        <div className="sm:col-span-2">
          <label className="inline-flex items-center gap-2 text-sm text-slate-800">
            <input id="connector-enabled" type="checkbox" checked={values.enabled} onChange={(e) => set("enabled", e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
            {tf("enabled")}
          </label>
        </div>
        <TextAreaField id="connector-comment" label={tf("comment")} value={values.comment} onChange={(e) => set("comment", e.target.value)} rows={2} maxLength={MAX_COMMENT} error={error("comment")} className="sm:col-span-2" />
      </div>
      <fieldset className="space-y-2">
        <legend className="mb-1 text-xs font-medium text-slate-700">{tf("routing")}</legend>
        {(["smartHosts", "mx"] as const).map((routing) => (
          <label key={routing} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="radio" name="connector-routing" value={routing} checked={values.routing === routing} onChange={() => set("routing", routing)} className="h-4 w-4 border-slate-300" />
            {tf(routing === "mx" ? "routingMx" : "routingSmartHosts")}
          </label>
        ))}
      </fieldset>
      {values.routing === "smartHosts" ? (
        <TextAreaField id="connector-smartHosts" label={tf("smartHosts")} value={values.smartHosts} onChange={(e) => set("smartHosts", e.target.value)} rows={3} spellCheck={false} hint={tf("smartHostsHint")} error={error("smartHosts")} />
      ) : error("smartHosts") ? (
        <p className="text-xs font-medium text-red-800">{error("smartHosts")}</p>
      ) : null}
      <TextAreaField id="connector-recipientDomains" label={tf("recipientDomains")} value={values.recipientDomains} onChange={(e) => set("recipientDomains", e.target.value)} rows={3} spellCheck={false} hint={tf("recipientDomainsHint")} error={error("recipientDomains")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField id="connector-tlsMode" label={tf("tlsMode")} value={values.tlsMode} onChange={(e) => set("tlsMode", e.target.value as TlsMode)} error={error("tlsMode")}>
          {TLS_MODES.map((m) => <option key={m} value={m}>{t(`tlsMode.${m}`)}</option>)}
        </SelectField>
        {values.tlsMode === "DOMAIN_VALIDATION" ? (
          <InputField id="connector-tlsDomain" label={tf("tlsDomain")} value={values.tlsDomain} onChange={(e) => set("tlsDomain", e.target.value)} spellCheck={false} hint={tf("tlsDomainHint")} error={error("tlsDomain")} />
        ) : null}
      </div>
      <InputField
        id="connector-queueLifetimeMinutes"
        label={tf("queueLifetime")}
        value={values.queueLifetimeHours}
        onChange={(e) => set("queueLifetimeHours", e.target.value)}
        inputMode="decimal"
        autoComplete="off"
        hint={tf("queueLifetimeHint")}
        error={lifetimeError}
        className="sm:w-1/2"
      />
      <FormErrors error={save.error} other={issues.other} />
      <FormButtons pending={save.isPending} submitLabel={connector ? t("organisation.save") : tf("add")} onCancel={onCancel} />
    </form>
  );
}
