"use client";

import { useTranslations } from "next-intl";
import { Table, Td, Th } from "@/components/ui/table";
import type { FieldValue, ImportConflict, ImportPreview, Resolution } from "@/lib/organisation/import-schemas";

type Props = {
  preview: ImportPreview;
  choices: Readonly<Record<string, Resolution>>;
  onChoose: (remediationId: number, choice: Resolution) => void;
};

/** What an import changes: conflicts first (they need a choice), then connectors and domains. */
export function ImportPreviewView({ preview, choices, onChoose }: Readonly<Props>) {
  const t = useTranslations("orgImport");
  return (
    <div className="space-y-8">
      {preview.conflicts.length > 0 ? <Conflicts conflicts={preview.conflicts} choices={choices} onChoose={onChoose} /> : null}
      <Section title={t("connectors")} id="preview-connectors" section={preview.connectors} missing={t("noConnectorsFile")} />
      <Section title={t("domains")} id="preview-domains" section={preview.domains} missing={t("noDomainsFile")} />
      {preview.confirmations.length > 0 ? (
        <section aria-labelledby="preview-confirmations">
          <h3 id="preview-confirmations" className="text-sm font-semibold text-slate-900">{t("confirmationsTitle")}</h3>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
            {preview.confirmations.map((c) => (
              <li key={c.remediationId}>{t(c.undone ? "confirmUndo" : "confirmFixNow", { alertId: c.alertId, connector: c.connector })}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

type SectionData = NonNullable<ImportPreview["domains"]> & { retired?: string[] };

function Section({ title, id, section, missing }: Readonly<{ title: string; id: string; section: SectionData | null; missing: string }>) {
  const t = useTranslations("orgImport");
  const text = useValueText();
  if (!section) {
    return (
      <section aria-labelledby={id}>
        <h3 id={id} className="text-sm font-semibold text-slate-900">{title}</h3>
        <p className="mt-1 text-sm text-slate-600">{missing}</p>
      </section>
    );
  }
  const counts = { added: section.added.length, changed: section.changed.length, unchanged: section.unchanged.length, onlyHere: section.onlyHere.length };
  return (
    <section aria-labelledby={id} className="space-y-3" data-testid={id}>
      <div>
        <h3 id={id} className="text-sm font-semibold text-slate-900">{title}</h3>
        <p className="text-sm text-slate-600">{t("summary", counts)}</p>
      </div>
      {counts.added + counts.changed === 0 ? <p className="text-sm text-slate-700">{t("nothingChanges")}</p> : null}
      {section.added.length > 0 ? (
        <Table caption={`${title}: ${t("added")}`}>
          <thead><tr><Th>{t("added")}</Th><Th>{t("colValues")}</Th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {section.added.map((item) => (
              <tr key={item.name}>
                <Td className="font-medium">{item.name}</Td>
                <Td>
                  <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs">
                    {item.values.map((v) => (
                      <div key={v.field} className="contents"><dt className="text-slate-500">{t(`fields.${v.field}`)}</dt><dd className="whitespace-pre-line break-words">{text(v.value, v.field)}</dd></div>
                    ))}
                  </dl>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {section.changed.length > 0 ? (
        <Table caption={`${title}: ${t("changed")}`}>
          <thead><tr><Th>{t("changed")}</Th><Th>{t("colField")}</Th><Th>{t("colNow")}</Th><Th>{t("colAfter")}</Th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {section.changed.flatMap((item) =>
              item.changes.map((change, i) => (
                <tr key={`${item.id}-${change.field}`}>
                  {i === 0 ? <Td rowSpan={item.changes.length} className="font-medium">{item.name}</Td> : null}
                  <Td>{t(`fields.${change.field}`)}</Td>
                  <Td className="text-slate-600 line-through decoration-slate-400">{text(change.before, change.field)}</Td>
                  <Td className="font-medium">{text(change.after, change.field)}</Td>
                </tr>
              )),
            )}
          </tbody>
        </Table>
      ) : null}
      <NameList label={t("unchanged")} names={section.unchanged} />
      <NameList label={t("onlyHere")} names={section.onlyHere} />
      <NameList label={t("retired")} names={section.retired ?? []} />
    </section>
  );
}

function NameList({ label, names }: Readonly<{ label: string; names: readonly string[] }>) {
  if (names.length === 0) return null;
  return (
    <p className="text-sm text-slate-700">
      <span className="font-medium">{label} ({names.length}):</span> {names.join(", ")}
    </p>
  );
}

function Conflicts({ conflicts, choices, onChoose }: Readonly<{ conflicts: readonly ImportConflict[] } & Omit<Props, "preview">>) {
  const t = useTranslations("orgImport");
  const text = useValueText();
  return (
    <section aria-labelledby="preview-conflicts" className="rounded-md border border-amber-300 bg-amber-50 p-4">
      <h3 id="preview-conflicts" className="text-sm font-semibold text-amber-950">{t("conflictsTitle")}</h3>
      <p className="mt-1 text-sm text-amber-900">{t("conflictsIntro")}</p>
      <div className="mt-3 space-y-4">
        {conflicts.map((conflict) => (
          <fieldset key={conflict.remediationId} className="rounded-md bg-white p-3 ring-1 ring-amber-200">
            <legend className="px-1 text-sm font-medium text-slate-900">
              {t(conflict.undone ? "conflictUndo" : "conflictFixNow", { alertId: conflict.alertId, connector: conflict.connector })}
            </legend>
            <ul className="list-disc space-y-0.5 pl-5 text-sm text-slate-700">
              {conflict.fields.map((f) => (
                <li key={`${f.target}-${f.id}-${f.field}`}>
                  {t("conflictField", { target: t(`targets.${f.target}`), name: f.name, field: t(`fields.${f.field}`).toLowerCase(), product: text(f.product, f.field), tenant: text(f.tenant, f.field) })}
                </li>
              ))}
            </ul>
            <div className="mt-2 space-y-1 text-sm">
              {(["keep", "tenant"] as const).map((choice) => (
                <label key={choice} className="flex items-start gap-2">
                  <input
                    type="radio"
                    name={`conflict-${conflict.remediationId}`}
                    value={choice}
                    checked={choices[conflict.remediationId] === choice}
                    onChange={() => onChoose(conflict.remediationId, choice)}
                    className="mt-0.5"
                  />
                  <span>{choice === "keep" ? t("keep") : t(conflict.undone ? "take" : "takeAndUndo")}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
    </section>
  );
}

/**
 * A value as the page shows it: enums named as on the connector and domain pages, booleans in
 * words, lists joined, nothing as "None".
 */
function useValueText() {
  const t = useTranslations("orgImport.values");
  const tAll = useTranslations();
  return (value: FieldValue, field: string): string => {
    if (value === null || (Array.isArray(value) && value.length === 0)) return t("none");
    if (typeof value === "boolean") return value ? t("yes") : t("no");
    if (Array.isArray(value)) return value.join(", ");
    const names = ENUM_NAMES[field];
    return names && tAll.has(`${names}.${value}`) ? tAll(`${names}.${value}`) : value;
  };
}

/** Where the dashboard names each enum field's values (messages/<locale>/common.json). */
const ENUM_NAMES: Readonly<Record<string, string>> = { kind: "connectorKind", tlsMode: "tlsMode", type: "domainType" };
