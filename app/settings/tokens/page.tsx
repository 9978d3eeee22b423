/** /settings/tokens: ingest tokens, created (shown once) and revoked by admins */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsNav } from "@/components/settings/settings-nav";
import { TokensAdmin } from "@/components/settings/tokens-admin";
import { Notice } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("tokensTitle") };
}

export default async function TokensPage() {
  const user = await requirePageUser();
  const t = await getTranslations("settings");
  return (
    <>
      <PageHeader title={t("tokensTitle")} />
      <SettingsNav current="tokens" />
      {can(user.role, "manage") ? <TokensAdmin /> : <Notice>{t("adminsOnly")}</Notice>}
    </>
  );
}
