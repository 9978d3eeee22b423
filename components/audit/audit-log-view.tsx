"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useMemo, useState, type FormEvent } from "react";
import { useAuditLog } from "@/components/audit/audit-queries";
import { ExportLink } from "@/components/exports/export-link";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import { useCursorTrail } from "@/components/ui/use-cursor-trail";
import { auditFilterFromSearch, auditFilterToSearch } from "@/lib/audit/filter-params";
import { AUDIT_TARGET_TYPES, type AuditFilter } from "@/lib/audit/schemas";
import { DEFAULT_TIME_ZONE } from "@/lib/i18n/locale";
import { fromZonedInput, toZonedInput } from "@/lib/i18n/zoned-time";

/** Settings → Audit log: filters in the URL, the entries newest first page by page, and Export CSV of the same filters. */
export function AuditLogView() {
  const t = useTranslations("auditLog");
  const tc = useTranslations("common");
  const format = useFormatter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filter = useMemo(() => auditFilterFromSearch(Object.fromEntries(searchParams)), [searchParams]);
  const search = auditFilterToSearch(filter);
  const pages = useCursorTrail();
  const log = useAuditLog(filter, pages.cursor);
  const apply = (next: AuditFilter) => {
    pages.reset();
    window.history.pushState(null, "", `${pathname}${auditFilterToSearch(next)}`);
  };
  const entries = log.data?.items;

  return (
    <Panel id="audit-log" title={t("title")} description={t("intro")}>
      {/* Keyed by the URL's filter, so back, forward and Clear reset the form's fields. */}
      <AuditFilters key={search} filter={filter} onApply={apply} />
      <div className="mb-3 flex justify-end">
        <ExportLink href={`/api/audit/export${search}`} />
      </div>
      {log.isPending ? <SkeletonRows rows={5} label={tc("loading")} /> : null}
      {log.isError ? <ErrorState title={tc("errorTitle")} message={log.error.message} retryLabel={tc("retry")} onRetry={() => log.refetch()} /> : null}
      {entries?.length === 0 ? <EmptyState title={t("empty")} /> : null}
      {entries && entries.length > 0 ? (
        <div aria-busy={log.isPlaceholderData} className={log.isPlaceholderData ? "opacity-60" : ""}>
          <Table caption={t("caption")}>
            <thead className="bg-slate-50">
              <tr>
                <Th>{t("at")}</Th><Th>{t("actor")}</Th><Th>{t("action")}</Th><Th>{t("target")}</Th><Th>{t("change")}</Th><Th>{t("note")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => (
                <tr key={e.id}>
                  <Td className="whitespace-nowrap">{format.dateTime(new Date(e.at), "long")}</Td>
                  <Td>{e.actor}</Td>
                  <Td className="font-mono text-xs">{e.action}</Td>
                  <Td className="text-xs">
                    {t.has(`targetTypes.${e.targetType}`) ? t(`targetTypes.${e.targetType}`) : e.targetType} <span className="font-mono">{e.targetId}</span>
                  </Td>
                  <Td className="max-w-md break-words font-mono text-xs text-slate-700">
                    <ChangeText before={e.before} after={e.after} />
                  </Td>
                  <Td className="max-w-xs break-words text-xs">{e.note}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      ) : null}
      <Pager label={t("pager")} previousLabel={tc("previousPage")} nextLabel={tc("nextPage")} onPrevious={pages.back} onNext={log.isPlaceholderData ? undefined : pages.forward(log.data?.nextCursor)} />
    </Panel>
  );
}

function AuditFilters({ filter, onApply }: Readonly<{ filter: AuditFilter; onApply: (filter: AuditFilter) => void }>) {
  const t = useTranslations("auditLog");
  const timeZone = useTimeZone() ?? DEFAULT_TIME_ZONE;
  const local = (iso: string | undefined) => (iso ? toZonedInput(new Date(iso), timeZone) : "");
  const [fields, setFields] = useState({ from: local(filter.from), to: local(filter.to), actor: filter.actor ?? "", action: filter.action ?? "", targetType: filter.targetType ?? "" });
  const [reversed, setReversed] = useState(false);
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) => setFields({ ...fields, [key]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const from = fromZonedInput(fields.from, timeZone);
    const to = fromZonedInput(fields.to, timeZone);
    if (from && to && from >= to) {
      setReversed(true);
      return;
    }
    setReversed(false);
    onApply({
      from: from?.toISOString(),
      to: to?.toISOString(),
      actor: fields.actor.trim() || undefined,
      action: fields.action.trim() || undefined,
      targetType: AUDIT_TARGET_TYPES.find((type) => type === fields.targetType),
    });
  };
  const filtered = Object.values(filter).some(Boolean);

  return (
    <form role="search" aria-label={t("filtersLabel")} onSubmit={submit} className="mb-4 grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto]">
      <InputField id="audit-from" type="datetime-local" label={t("from")} value={fields.from} onChange={set("from")} />
      <InputField id="audit-to" type="datetime-local" label={t("to")} value={fields.to} onChange={set("to")} error={reversed ? t("rangeReversed") : null} />
      <InputField id="audit-actor" label={t("actor")} placeholder={t("actorPlaceholder")} value={fields.actor} maxLength={200} onChange={set("actor")} />
      <InputField id="audit-action" label={t("action")} placeholder={t("actionPlaceholder")} value={fields.action} maxLength={100} onChange={set("action")} />
      <SelectField id="audit-target-type" label={t("targetType")} value={fields.targetType} onChange={set("targetType")}>
        <option value="">{t("allTargetTypes")}</option>
        {AUDIT_TARGET_TYPES.map((type) => (
          <option key={type} value={type}>
            {t(`targetTypes.${type}`)}
          </option>
        ))}
      </SelectField>
      <div className="flex gap-2">
        <Button type="submit" variant="primary">{t("apply")}</Button>
        {filtered ? <Button variant="ghost" onClick={() => onApply({})}>{t("clear")}</Button> : null}
      </div>
    </form>
  );
}

function ChangeText({ before, after }: Readonly<{ before: unknown; after: unknown }>) {
  const text = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value));
  if (before === null || before === undefined) return <span className="line-clamp-3">{text(after)}</span>;
  return <span className="line-clamp-3">{`${text(before)} → ${text(after)}`}</span>;
}
