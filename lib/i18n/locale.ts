// Which language the dashboard speaks: the `locale` cookie set by the header switch, else the
// browser's Accept-Language, else English. No locale in the URL, so shared links stay language-neutral.
export const LOCALES = ["en", "sv"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "locale";
/**
 * Times are shown in the browser's time zone: TimeZoneSync stores it in this cookie and the
 * server renders with it, so the browser hydrates the same text. UTC until the cookie is set.
 */
export const TIME_ZONE_COOKIE = "tz";
export const DEFAULT_TIME_ZONE = "UTC";

/** The cookie's time zone when it is one this runtime knows (an IANA name), else UTC. */
export function pickTimeZone(cookie: string | undefined): string {
  if (!cookie || cookie.length > 64) return DEFAULT_TIME_ZONE;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: cookie }).resolvedOptions().timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export function isLocale(value: string | undefined | null): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? "");
}

export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookie)) return cookie;
  for (const tag of preferredLanguages(acceptLanguage)) {
    const base = tag.split("-")[0]?.toLowerCase();
    if (isLocale(base)) return base;
    // Norwegian and Danish readers are far closer to Swedish than to English.
    if (base === "nb" || base === "nn" || base === "no" || base === "da") return "sv";
  }
  return DEFAULT_LOCALE;
}

/** Language tags of an Accept-Language header, most preferred first (q=0 means "not this"). */
export function preferredLanguages(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((l) => l.tag !== "" && l.tag !== "*" && Number.isFinite(l.q) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}
