"use client";

import { useTranslations } from "next-intl";
import { ErrorState } from "@/components/ui/states";

/** A page that failed on the server (e.g. the database is down) offers a retry, not a blank screen. */
export default function PageError({ reset }: Readonly<{ error: Error; reset: () => void }>) {
  const t = useTranslations("common");
  return <ErrorState title={t("errorTitle")} message={t("unexpectedError")} retryLabel={t("retry")} onRetry={reset} />;
}
