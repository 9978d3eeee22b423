import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** The settings pages, as tabs. */
export async function SettingsNav({ current }: Readonly<{ current: "users" | "tokens" | "import" | "trace-import" | "sources" | "notifications" | "audit" }>) {
  const [t, tImport, tTrace, tSources, tNotify, tAudit] = await Promise.all([
    getTranslations("settings"), getTranslations("orgImport"), getTranslations("traceImport"), getTranslations("sourcesPage"), getTranslations("notifySettings"),
    getTranslations("auditLog"),
  ]);
  const items = [
    { key: "users", href: "/settings/users", label: t("usersNav") },
    { key: "tokens", href: "/settings/tokens", label: t("tokensNav") },
    { key: "import", href: "/settings/import", label: tImport("nav") },
    { key: "trace-import", href: "/settings/trace-import", label: tTrace("nav") },
    { key: "sources", href: "/settings/sources", label: tSources("nav") },
    { key: "notifications", href: "/settings/notifications", label: tNotify("nav") },
    { key: "audit", href: "/settings/audit", label: tAudit("nav") },
  ] as const;
  return (
    <nav aria-label={t("nav")} className="mb-4 flex flex-wrap gap-2">
      {items.map((item) => (
        <Link
          key={item.key}
          href={item.href}
          aria-current={item.key === current ? "page" : undefined}
          className={`rounded-md px-3 py-1.5 text-sm font-medium ${item.key === current ? "bg-slate-800 text-white" : "text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"}`}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
