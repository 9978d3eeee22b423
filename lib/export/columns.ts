// next-intl re-exports use-intl/core as is; importing it directly keeps this free of React.
import { createTranslator } from "use-intl/core";
import type { CsvColumn, CsvValue } from "@/lib/export/csv";
import { LOCALE_COOKIE, pickLocale, type Locale } from "@/lib/i18n/locale";
import en from "@/messages/en/exports.json";
import sv from "@/messages/sv/exports.json";

// Column headers in the language of the page the export was started from: the same `locale`
// cookie (else Accept-Language) the dashboard reads, so a Swedish page downloads Swedish headers.
// Values stay as stored (codes, states, ISO times), so a file reads the same in either language.

export type ColumnGroup = keyof typeof en.exports.columns;

/** A column by its key in messages/<locale>/exports.json → exports.columns.<group>.<key>. */
export type ColumnSpec<T, G extends ColumnGroup> = Readonly<{ key: keyof (typeof en.exports.columns)[G] & string; value: (row: T) => CsvValue }>;

const MESSAGES = { en, sv } as const;

export function exportLocale(req: Request): Locale {
  return pickLocale(cookieValue(req.headers.get("cookie"), LOCALE_COOKIE), req.headers.get("accept-language"));
}

/** The columns with their headers in `locale`. */
export function localizedColumns<T, G extends ColumnGroup>(locale: Locale, group: G, specs: readonly ColumnSpec<T, G>[]): CsvColumn<T>[] {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: "exports.columns" });
  return specs.map((spec) => ({ header: t(`${group}.${spec.key}` as Parameters<typeof t>[0]), value: spec.value }));
}

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return safeDecode(part.slice(eq + 1).trim());
  }
  return undefined;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
