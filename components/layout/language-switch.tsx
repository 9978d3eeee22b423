"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { savePreference } from "@/components/layout/preference-cookie";
import { LOCALE_COOKIE, LOCALES, type Locale } from "@/lib/i18n/locale";

const SHORT: Record<Locale, string> = { en: "EN", sv: "SV" };

/** Sets the `locale` cookie and re-renders on the server: no locale in the URL. */
export function LanguageSwitch() {
  const t = useTranslations("header");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(next: Locale) {
    savePreference(LOCALE_COOKIE, next);
    startTransition(() => router.refresh());
  }

  return (
    <div role="group" aria-label={t("language")} className="inline-flex rounded-md ring-1 ring-slate-300" aria-busy={pending}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === locale}
          title={l === "en" ? t("english") : t("swedish")}
          onClick={() => choose(l)}
          className={`px-2.5 py-1 text-xs font-semibold first:rounded-l-md last:rounded-r-md ${l === locale ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          {SHORT[l]}
        </button>
      ))}
    </div>
  );
}
