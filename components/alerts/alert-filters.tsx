"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { CodeOptions } from "@/components/alerts/code-label";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import type { AlertListQuery, StatusFilter } from "@/lib/alerts/schemas";
import { ALERT_STATUSES } from "@/lib/db/enums";

type Props = {
  query: AlertListQuery;
  connectors: readonly { id: number; name: string }[];
  onChange: (patch: Partial<AlertListQuery>, mode?: "push" | "replace") => void;
  onClear?: () => void;
};

const SEARCH_DELAY_MS = 300;

export function AlertFilters({ query, connectors, onChange, onClear }: Readonly<Props>) {
  const t = useTranslations();
  const [text, setText] = useState(query.q ?? "");
  // The URL can change under the field (back button, "Clear filters"): follow it.
  const [urlText, setUrlText] = useState(query.q ?? "");
  if ((query.q ?? "") !== urlText) {
    setUrlText(query.q ?? "");
    if ((query.q ?? "") !== text.trim()) setText(query.q ?? "");
  }

  useEffect(() => {
    if (text.trim() === (query.q ?? "")) return;
    const timer = setTimeout(() => onChange({ q: text.trim() || undefined }, "replace"), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, query.q, onChange]);

  return (
    <form
      role="search"
      aria-label={t("alerts.filtersLabel")}
      className="mb-4 grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(3,minmax(0,1fr))_minmax(0,1.6fr)_auto]"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ q: text.trim() || undefined });
      }}
    >
      <SelectField id="filter-status" label={t("alerts.statusFilter")} value={query.status} onChange={(e) => onChange({ status: e.target.value as StatusFilter })}>
        <option value="active">{t("alerts.statusActive")}</option>
        <option value="resolved">{t("alerts.statusResolved")}</option>
        <option value="all">{t("alerts.statusAll")}</option>
        <optgroup label={t("alerts.statusExact")}>
          {ALERT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </optgroup>
      </SelectField>
      <SelectField id="filter-code" label={t("alerts.codeFilter")} value={query.code ?? ""} onChange={(e) => onChange({ code: e.target.value || undefined })}>
        <option value="">{t("alerts.allCodes")}</option>
        <CodeOptions />
      </SelectField>
      <SelectField
        id="filter-connector"
        label={t("alerts.connectorFilter")}
        value={query.connector ? String(query.connector) : ""}
        onChange={(e) => onChange({ connector: e.target.value ? Number(e.target.value) : undefined })}
      >
        <option value="">{t("alerts.allConnectors")}</option>
        {connectors.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <InputField
        id="filter-q"
        type="search"
        label={t("alerts.search")}
        placeholder={t("alerts.searchPlaceholder")}
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
      />
      {onClear ? (
        <Button
          variant="ghost"
          onClick={onClear}
        >
          {t("alerts.clearFilters")}
        </Button>
      ) : (
        <span aria-hidden="true" />
      )}
    </form>
  );
}
