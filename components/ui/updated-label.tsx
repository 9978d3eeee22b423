"use client";

import { useFormatter, useTranslations } from "next-intl";

/** "Updated 12:04:31" for polled data, "Updating…" while a refresh is on its way. */
export function UpdatedLabel({ updatedAt, fetching }: Readonly<{ updatedAt: number; fetching: boolean }>) {
  const t = useTranslations("common");
  const format = useFormatter();
  return (
    <p className="text-xs text-slate-500">
      {updatedAt > 0 ? t("updated", { time: format.dateTime(new Date(updatedAt), "time") }) : null}
      {fetching ? <span className="ml-2 text-slate-400">{t("updating")}</span> : null}
      <span className="ml-2">{t("timesInUtc")}</span>
    </p>
  );
}
