"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { FormButtons, FormErrors, useFieldIssues } from "@/components/organisation/form-parts";
import { useSaveDomain } from "@/components/organisation/organisation-mutations";
import { InputField, SelectField } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { DOMAIN_TYPES, type DomainType } from "@/lib/db/enums";
import type { DomainView, RelayChoice } from "@/lib/domains/schemas";
import { MAX_DOMAIN_NAME } from "@/lib/organisation/connector-fields";
import type { DomainRecord } from "@/lib/organisation/schemas";

type Props = {
  open: boolean;
  /** The domain to edit (its type and relaying connector); null adds one. */
  domain: DomainView | null;
  relays: readonly RelayChoice[];
  onClose: () => void;
  onSaved: (saved: DomainRecord) => void;
};

const FIELDS = ["name", "type", "connectorId"] as const;

/** Adds an accepted domain, or changes one's type and relaying connector, in a modal dialog. */
export function DomainForm({ open, domain, relays, onClose, onSaved }: Readonly<Props>) {
  const save = useSaveDomain();
  const titleId = useId();
  const close = () => {
    save.reset();
    onClose();
  };
  return (
    <Modal open={open} labelledBy={titleId} busy={save.isPending} onClose={close} testId="domain-form">
      <DomainFormBody titleId={titleId} domain={domain} relays={relays} save={save} onCancel={close} onSaved={(saved) => { save.reset(); onSaved(saved); }} />
    </Modal>
  );
}

type BodyProps = Omit<Props, "open" | "onClose"> & { titleId: string; save: ReturnType<typeof useSaveDomain>; onCancel: () => void };

function DomainFormBody({ titleId, domain, relays, save, onCancel, onSaved }: Readonly<BodyProps>) {
  const t = useTranslations();
  const tf = useTranslations("organisation.domainForm");
  const [name, setName] = useState("");
  const [type, setType] = useState<DomainType>(domain?.type ?? "AUTHORITATIVE");
  const [relay, setRelay] = useState(domain?.connector ? String(domain.connector.id) : "");
  const [issues, formRef] = useFieldIssues(save.error, FIELDS, "domain");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const connectorId = relay === "" ? null : Number(relay);
    const body = domain ? { type, connectorId } : { name, type, connectorId };
    save.mutate({ id: domain?.id ?? null, body }, { onSuccess: onSaved });
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-4 px-6 py-5">
      <h2 id={titleId} className="text-lg font-semibold">
        {domain ? tf("editTitle", { name: domain.name }) : tf("addTitle")}
      </h2>
      {domain ? null : (
        <InputField id="domain-name" label={tf("name")} value={name} onChange={(e) => setName(e.target.value)} required maxLength={MAX_DOMAIN_NAME} spellCheck={false} hint={tf("nameHint")} error={issues.byField.name} data-autofocus />
      )}
      <SelectField id="domain-type" label={tf("type")} value={type} onChange={(e) => setType(e.target.value as DomainType)} hint={t(`domains.typeHelp.${type}`)} error={issues.byField.type} data-autofocus={domain ? true : undefined}>
        {DOMAIN_TYPES.map((d) => <option key={d} value={d}>{t(`domainType.${d}`)}</option>)}
      </SelectField>
      <SelectField id="domain-connectorId" label={tf("connector")} value={relay} onChange={(e) => setRelay(e.target.value)} hint={tf("connectorHint")} error={issues.byField.connectorId}>
        <option value="">{tf("noConnector")}</option>
        {relays.map((r) => (
          // A retired connector is listed only to show what the domain has now.
          <option key={r.id} value={String(r.id)} disabled={r.retired}>
            {r.retired ? tf("retiredConnector", { name: r.name }) : r.name}
          </option>
        ))}
      </SelectField>
      <FormErrors error={save.error} other={issues.other} />
      <FormButtons pending={save.isPending} submitLabel={domain ? t("organisation.save") : tf("add")} onCancel={onCancel} />
    </form>
  );
}
