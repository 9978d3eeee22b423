import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, pickLocale, pickTimeZone, TIME_ZONE_COOKIE, type Locale } from "@/lib/i18n/locale";
import { formats } from "@/lib/i18n/formats";

// next-intl's per-request configuration (next.config.js points the plugin here).
export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = pickLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get("accept-language"));
  // `now` is fixed per request so server and browser render the same relative times on hydration.
  const timeZone = pickTimeZone(cookieStore.get(TIME_ZONE_COOKIE)?.value);
  return { locale, messages: await loadMessages(locale), timeZone, formats, now: new Date() };
});

// Every messages file of the locale, merged by top-level namespace: common.json is the
// dashboard's, remediation.json the remediation panel's, Fix now's and the alert actions',
// auth.json sign-in's and the settings pages', organisation.json the forms that manage connectors
// and accepted domains, import.json the Exchange import's, validation.json "Validate connector"'s,
// sources.json the event sources' (the message trace import), notifications.json the texts the
// notification channels send (lib/notify/channels renders them with createTranslator too),
// notify-settings.json the notification settings page's, trace.json the message trace's,
// exports.json the Export CSV button's, the export files' column headers and the audit log page's.
async function loadMessages(locale: Locale) {
  const [common, remediation, auth, organisation, orgImport, validation, sources, notifications, notifySettings, trace, exports] = await Promise.all([
    import(`../../messages/${locale}/common.json`),
    import(`../../messages/${locale}/remediation.json`),
    import(`../../messages/${locale}/auth.json`),
    import(`../../messages/${locale}/organisation.json`),
    import(`../../messages/${locale}/import.json`),
    import(`../../messages/${locale}/validation.json`),
    import(`../../messages/${locale}/sources.json`),
    import(`../../messages/${locale}/notifications.json`),
    import(`../../messages/${locale}/notify-settings.json`),
    import(`../../messages/${locale}/trace.json`),
    import(`../../messages/${locale}/exports.json`),
  ]);
  return { ...common.default, ...remediation.default, ...auth.default, ...organisation.default, ...orgImport.default, ...validation.default, ...sources.default, ...notifications.default, ...notifySettings.default, ...trace.default, ...exports.default };
}
