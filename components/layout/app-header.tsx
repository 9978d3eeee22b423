import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { NavLinks } from "@/components/layout/nav-links";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { currentUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function AppHeader() {
  const [t, user] = await Promise.all([getTranslations(), currentUser()]);
  return (
    <header className="border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t("nav.skipToContent")}
      </a>
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
          <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 text-blue-700" fill="none" stroke="currentColor" strokeWidth="1.8">
            <path d="M3 7l9 6 9-6M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Z" strokeLinejoin="round" />
          </svg>
          {t("app.name")}
        </Link>
        {user ? (
          <NavLinks label={t("nav.label")} items={[
            { href: "/", label: t("nav.alerts") },
            { href: "/connectors", label: t("nav.connectors") },
            { href: "/domains", label: t("nav.domains") },
            { href: "/trace", label: t("trace.nav") },
            ...(can(user.role, "manage") ? [{ href: "/settings/users", label: t("settings.nav") }] : []),
          ]} />
        ) : null}
        <div className="ml-auto flex items-center gap-4 text-sm text-slate-600">
          {user ? (
            <span data-testid="signed-in-user">
              {t("auth.signedInAs", { name: user.name })} · {t(`roles.${user.role}`)}
            </span>
          ) : null}
          <LanguageSwitch />
          {user ? <SignOutButton /> : null}
        </div>
      </div>
    </header>
  );
}
