/** /settings/trace-import: import Exchange message trace exports and tracking logs (admins) */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsNav } from "@/components/settings/settings-nav";
import { TraceImportView } from "@/components/trace-import/trace-import-view";
import { Notice } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("traceImport");
  return { title: t("title") };
}

export default async function TraceImportPage() {
  const user = await requirePageUser();
  const t = await getTranslations("traceImport");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <SettingsNav current="trace-import" />
      {can(user.role, "manage") ? <TraceImportView /> : <Notice>{t("adminsOnly")}</Notice>}
    </>
  );
}
