"use client";

import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";
import { DEFAULT_TIME_ZONE } from "@/lib/i18n/locale";

/** "Updated 12:04:31" for polled data, "Updating…" while a refresh is on its way. */
export function UpdatedLabel({ updatedAt, fetching }: Readonly<{ updatedAt: number; fetching: boolean }>) {
  const t = useTranslations("common");
  const format = useFormatter();
  const timeZone = useTimeZone() ?? DEFAULT_TIME_ZONE;
  // The server never fetches, so the indicator waits for hydration to avoid a mismatch.
  const hydrated = useSyncExternalStore(subscribeNothing, () => true, () => false);
  return (
    <p className="text-xs text-slate-500">
      {updatedAt > 0 ? t("updated", { time: format.dateTime(new Date(updatedAt), "time") }) : null}
      <span className="ml-2">{t("timesInZone", { zone: timeZone })}</span>
      {hydrated && fetching ? <span className="ml-2 text-slate-400">{t("updating")}</span> : null}
    </p>
  );
}

function subscribeNothing(): () => void {
  return () => undefined;
}
