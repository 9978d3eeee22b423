"use client";

import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { useEffect } from "react";
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
    if (!browser || browser === rendered || readCookie(TIME_ZONE_COOKIE) === browser) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${browser}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [rendered, router]);
  return null;
}

function readCookie(name: string): string | undefined {
  return document.cookie.split("; ").find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
}
