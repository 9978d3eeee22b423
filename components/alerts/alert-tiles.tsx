"use client";

import { useTranslations } from "next-intl";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import type { CodeTotal } from "@/lib/alerts/schemas";

type Props = { totals: readonly CodeTotal[]; selected?: string; onSelect: (code: string | undefined) => void };

/** One tile per error code: open alerts and queued messages; a tile toggles the code filter. */
export function AlertTiles({ totals, selected, onSelect }: Readonly<Props>) {
  const t = useTranslations();
  return (
    <section aria-label={t("alerts.tilesLabel")} className="mb-6">
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
        {totals.map((total) => {
          const pressed = selected === total.code;
          const quiet = total.activeAlerts === 0;
          const name = t(`codes.${codeKey(total.code)}`);
          return (
            <li key={total.code}>
              <button
                type="button"
                aria-pressed={pressed}
                title={pressed ? t("alerts.tileClear") : t("alerts.tileFilter", { code: name })}
                onClick={() => onSelect(pressed ? undefined : total.code)}
                className={`flex h-full w-full flex-col items-start gap-1 rounded-lg bg-white p-3 text-left shadow-sm ring-1 transition hover:ring-slate-400 ${
                  pressed ? "ring-2 ring-blue-600" : "ring-slate-200"
                }`}
              >
                <span className="font-mono text-xs text-slate-600">{total.code === "other" ? t("codes.otherCodes") : displayCode(total.code)}</span>
                <span className="w-full text-sm font-medium leading-tight break-words hyphens-auto text-slate-900">{name}</span>
                <span className={`mt-1 text-2xl font-semibold tabular-nums ${quiet ? "text-slate-400" : "text-red-700"}`}>{total.activeAlerts}</span>
                <span className="text-xs text-slate-600">{t("alerts.tileActive", { count: total.activeAlerts })}</span>
                <span className={`text-xs ${total.queued > 0 ? "font-medium text-amber-800" : "text-slate-500"}`}>
                  {t("alerts.tileQueued", { count: total.queued })}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
