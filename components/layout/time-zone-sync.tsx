"use client";

import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { useEffect } from "react";
import { readPreference, savePreference } from "@/components/layout/preference-cookie";
import { TIME_ZONE_COOKIE } from "@/lib/i18n/locale";

/**
 * Tells the server the browser's time zone in a cookie, and re-renders once if the page was
 * rendered in another one. A zone the server does not know stays UTC, without re-rendering again.
 */
export function TimeZoneSync() {
  const rendered = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browser || browser === rendered || readPreference(TIME_ZONE_COOKIE) === browser) return;
    savePreference(TIME_ZONE_COOKIE, browser);
    router.refresh();
  }, [rendered, router]);
  return null;
}
