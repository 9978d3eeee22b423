import { useTranslations } from "next-intl";
import { CODE_GROUPS, codeKey, displayCode } from "@/lib/alerts/codes";

/** "450 4.4.316" in monospace with its short name, e.g. "Connection refused". */
export function CodeLabel({ code, stacked = false }: Readonly<{ code: string; stacked?: boolean }>) {
  const t = useTranslations("codes");
  return (
    <span className={stacked ? "flex flex-col" : "inline-flex flex-wrap items-baseline gap-x-2"}>
      <span className="font-mono text-xs text-slate-600">{displayCode(code)}</span>
      <span className="font-medium text-slate-900">{t(codeKey(code))}</span>
    </span>
  );
}

/** The `<option>`s of a code filter: the six codes of the catalogue, then "other". */
export function CodeOptions() {
  const t = useTranslations("codes");
  return CODE_GROUPS.map((code) => (
    <option key={code} value={code}>
      {code === "other" ? t("other") : `${displayCode(code)} · ${t(codeKey(code))}`}
    </option>
  ));
}
