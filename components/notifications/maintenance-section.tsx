"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { useCreateWindow, useDeleteWindow, useWindows } from "@/components/notifications/notify-queries";
import type { ConnectorOption } from "@/components/notifications/rule-form";
import { Badge } from "@/components/ui/badge";
import { FormError, fieldIssue } from "@/components/notifications/form-error";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";

/** Current and planned maintenance windows; past ones are only counted. */
export function MaintenanceSection({ connectors }: Readonly<{ connectors: readonly ConnectorOption[] }>) {
  const t = useTranslations();
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 }).getTime();
  const windows = useWindows();
  const remove = useDeleteWindow();
  const all = windows.data?.windows ?? [];
  const shown = all.filter((w) => Date.parse(w.endsAt) > now).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const past = all.length - shown.length;
  const when = (iso: string) => format.dateTime(new Date(iso), "short");
  const connectorName = (id: number) => connectors.find((c) => c.id === id)?.name ?? `#${id}`;

  return (
    <Panel title={t("notifySettings.maintenance.title")} id="maintenance-heading" description={t("notifySettings.maintenance.intro")}>
      {windows.isPending ? <SkeletonRows rows={2} label={t("common.loading")} /> : null}
      {windows.error ? <ErrorState title={t("common.errorTitle")} message={windows.error.message} /> : null}
      {remove.error ? <p role="alert" className="mb-2 text-sm text-red-800">{remove.error.message}</p> : null}
      {windows.data && shown.length === 0 ? <EmptyState title={t("notifySettings.maintenance.empty")} /> : null}
      {shown.length > 0 ? (
        <Table caption={t("notifySettings.maintenance.title")}>
          <thead>
            <tr>
              <Th>{t("notifySettings.maintenance.connector")}</Th><Th>{t("notifySettings.maintenance.startsAt")}</Th><Th>{t("notifySettings.maintenance.endsAt")}</Th>
              <Th>{t("notifySettings.maintenance.reason")}</Th><Th>{t("notifySettings.maintenance.createdBy")}</Th><Th><span className="sr-only">{t("notifySettings.channels.actions")}</span></Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((w) => (
              <tr key={w.id}>
                <Td className="font-medium text-slate-900">
                  {connectorName(w.connectorId)}{" "}
                  {Date.parse(w.startsAt) <= now ? <Badge tone="warning">{t("notifySettings.maintenance.now")}</Badge> : <Badge tone="info">{t("notifySettings.maintenance.planned")}</Badge>}
                </Td>
                <Td className="whitespace-nowrap">{when(w.startsAt)}</Td>
                <Td className="whitespace-nowrap">{when(w.endsAt)}</Td>
                <Td>{w.reason}</Td>
                <Td>{w.createdBy}</Td>
                <Td>
                  <Button size="sm" variant="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(t("notifySettings.maintenance.deleteConfirm"))) remove.mutate(w.id); }}>
                    {t("notifySettings.maintenance.delete")}
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {past > 0 ? <p className="mt-2 text-xs text-slate-600">{t("notifySettings.maintenance.pastHidden", { count: past })}</p> : null}
      <div className="mt-6 border-t border-slate-100 pt-4">
        {connectors.length === 0 ? <p className="text-sm text-slate-600">{t("notifySettings.maintenance.noConnectors")}</p> : <WindowForm connectors={connectors} />}
      </div>
    </Panel>
  );
}

function WindowForm({ connectors }: Readonly<{ connectors: readonly ConnectorOption[] }>) {
  const t = useTranslations("notifySettings.maintenance");
  const create = useCreateWindow();
  const issue = (field: string) => fieldIssue(create.error, field);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    create.mutate(
      { connectorId: Number(data.get("connectorId")), startsAt: localToIso(data.get("startsAt")), endsAt: localToIso(data.get("endsAt")), reason: String(data.get("reason") ?? "") },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby="window-new-title" noValidate>
      <h3 id="window-new-title" className="text-sm font-semibold text-slate-900">{t("newTitle")}</h3>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField id="window-connector" name="connectorId" label={t("connector")} error={issue("connectorId")}>
          {connectors.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>
        <InputField id="window-start" name="startsAt" type="datetime-local" label={t("startsAt")} error={issue("startsAt")} />
        <InputField id="window-end" name="endsAt" type="datetime-local" label={t("endsAt")} error={issue("endsAt")} />
        <InputField id="window-reason" name="reason" label={t("reason")} maxLength={500} error={issue("reason")} />
      </div>
      <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? t("saving") : t("create")}</Button>
      <FormError error={create.error} />
    </form>
  );
}

/** A datetime-local value is the browser's local time; the API takes an instant. Empty stays empty (a field issue). */
function localToIso(value: FormDataEntryValue | null): string {
  const time = Date.parse(String(value ?? ""));
  return Number.isNaN(time) ? "" : new Date(time).toISOString();
}
