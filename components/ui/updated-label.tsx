"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";

/** "Updated 12:04:31" for polled data, "Updating…" while a refresh is on its way. */
export function UpdatedLabel({ updatedAt, fetching }: Readonly<{ updatedAt: number; fetching: boolean }>) {
  const t = useTranslations("common");
  const format = useFormatter();
  // The server never fetches, so the indicator waits for hydration to avoid a mismatch.
  const hydrated = useSyncExternalStore(subscribeNothing, () => true, () => false);
  return (
    <p className="text-xs text-slate-500">
      {updatedAt > 0 ? t("updated", { time: format.dateTime(new Date(updatedAt), "time") }) : null}
      <span className="ml-2">{t("timesInUtc")}</span>
      {hydrated && fetching ? <span className="ml-2 text-slate-400">{t("updating")}</span> : null}
    </p>
  );
}

function subscribeNothing(): () => void {
  return () => undefined;
}
