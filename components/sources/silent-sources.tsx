import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { readForPage } from "@/lib/db/reader";
import { silentSources } from "@/lib/sources/queries";

/** A followed source's own alert: it has read nothing for longer than SOURCE_SILENCE_MINUTES. */
export async function SilentSources() {
  const silent = await readForPage(silentSources);
  if (silent.length === 0) return null;
  const [t, format] = await Promise.all([getTranslations("sourcesPage"), getFormatter()]);
  return (
    <div role="alert" className="mb-4 space-y-1 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
      {silent.map((s) => (
        <p key={s.id}>
          {t.rich("silentBanner", {
            name: s.name,
            at: format.dateTime(new Date(s.silentSince), "long"),
            // A log's path is one long word: let it break anywhere rather than widen the page.
            file: (chunks) => <span className="font-mono text-xs font-semibold break-all">{chunks}</span>,
          })}{" "}
          <Link href={`/settings/sources#source-${s.id}`} className="font-medium whitespace-nowrap underline">
            {t("silentBannerLink")}
          </Link>
        </p>
      ))}
    </div>
  );
}
