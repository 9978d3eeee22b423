import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { CommandBlock } from "@/components/ui/command-block";
import type { AuditEntryView } from "@/lib/alerts/schemas";

type Props = {
  entries: readonly AuditEntryView[];
  empty: string;
  /** Name the accepted domain of a domain entry (off where the list is the domain's own). */
  nameDomains?: boolean;
  extras?: readonly TimelineExtra[];
};

/** Something else on the same timeline (a validation of a connector), placed among the entries by its time. */
export type TimelineExtra = { key: string; at: string; /** The dot's colour class. */ dot: string; content: ReactNode };

/**
 * Audit entries as a timeline: what was done, by whom, when, and what changed. `extras`, when
 * given, are merged in newest first, and the entries are then expected newest first too.
 */
export function ActivityLog({ entries, empty, nameDomains = true, extras = [] }: Readonly<Props>) {
  const t = useTranslations("audit");
  const tAll = useTranslations();
  const tTenant = useTranslations("remediation.tenant");
  const tOrg = useTranslations("organisation");
  const format = useFormatter();
  // Domain types, connector kinds, TLS modes and on/off states read as the rest of the page names them.
  const label = (field: string, value: string) => {
    const named = VALUE_NAMES[field];
    if (named && tAll.has(`${named}.${value}`)) return tAll(`${named}.${value}`);
    if (value === "true" || value === "false") {
      if (field === "enabled") return tAll(value === "true" ? "common.enabled" : "common.disabled");
      return tAll(value === "true" ? "common.yes" : "common.no");
    }
    return value;
  };
  const fieldLabel = (field: string) => (tOrg.has(`fields.${field}`) ? tOrg(`fields.${field}`) : field);
  const actionLabel = (key: string, action: string) => (t.has(key) ? t(key) : tOrg.has(key) ? tOrg(key) : action);
  if (entries.length === 0 && extras.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  const audit = entries.map((e): TimelineExtra => {
    const key = `actions.${e.action.replace(/\./g, "_")}`;
    return {
      key: `audit-${e.id}`,
      at: e.at,
      dot: "bg-slate-400",
      content: (
        <>
          <p className="text-sm">
            <span className="font-medium text-slate-900">{actionLabel(key, e.action)}</span>{" "}
            {nameDomains && domainOf(e) ? <span className="font-mono text-xs text-slate-800">{domainOf(e)}</span> : null}{" "}
            <span className="text-slate-600">{t("by", { actor: e.actor })}</span>
          </p>
          <p className="text-xs text-slate-500">
            <time dateTime={e.at}>{format.dateTime(new Date(e.at), "long")}</time>
          </p>
          {changes(e).map((c) => (
            <p key={c.field} className="mt-1 font-mono text-xs text-slate-700">
              {t("change", { field: fieldLabel(c.field), before: label(c.field, c.before), after: label(c.field, c.after) })}
            </p>
          ))}
          {e.note ? <p className="mt-1 text-sm text-slate-700">{e.note}</p> : null}
          {powershellOf(e) ? (
            <div className="mt-2">
              <CommandBlock lines={powershellOf(e)!} label={tTenant("label")} copyLabel={tTenant("copy")} copiedLabel={tTenant("copied")} />
            </div>
          ) : null}
        </>
      ),
    };
  });
  const items = extras.length === 0 ? audit : [...audit, ...extras].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5">
      {items.map((item) => (
        <li key={item.key} className="relative">
          <span aria-hidden="true" className={`absolute -left-[25px] top-1.5 h-2.5 w-2.5 rounded-full ring-4 ring-white ${item.dot}`} />
          {item.content}
        </li>
      ))}
    </ol>
  );
}

/**
 * Fields whose value differs between before and after, as short text (commands apart; a
 * relaying connector by its name, which domain entries carry beside its id).
 */
function changes(entry: AuditEntryView): { field: string; before: string; after: string }[] {
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  const named = "connector" in before || "connector" in after;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => f !== POWERSHELL && !(named && f === "connectorId"));
  return fields
    .map((field) => ({ field, before: show(before[field]), after: show(after[field]) }))
    .filter((c) => c.before !== c.after);
}

/** The Exchange Online PowerShell a Fix now or Undo entry carries for the tenant. */
const POWERSHELL = "powershell";

function powershellOf(entry: AuditEntryView): string[] | null {
  const value = asRecord(entry.after)[POWERSHELL];
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

/** The enum whose display names a field's values take. */
const VALUE_NAMES: Readonly<Record<string, string>> = { type: "domainType", kind: "connectorKind", tlsMode: "tlsMode" };

/** Which accepted domain a domain entry is about: its audit entries carry the name. */
function domainOf(entry: AuditEntryView): string | null {
  if (entry.targetType !== "domain") return null;
  const name = asRecord(entry.after).name ?? asRecord(entry.before).name;
  return typeof name === "string" ? name : null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}
