/** /settings/import: import connectors and accepted domains from Exchange Online (admins) */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/layout/page-header";
import { ImportView } from "@/components/org-import/import-view";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Notice } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("orgImport");
  return { title: t("title") };
}

export default async function ImportPage() {
  const user = await requirePageUser();
  const t = await getTranslations("orgImport");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <SettingsNav current="import" />
      {can(user.role, "manage") ? <ImportView /> : <Notice>{t("adminsOnly")}</Notice>}
    </>
  );
}
