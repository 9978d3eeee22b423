/** /settings/sources: every event source's state (admins): followed logs and imports */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsNav } from "@/components/settings/settings-nav";
import { SourcesTable } from "@/components/sources/sources-table";
import { Notice } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";
import { readForPage } from "@/lib/db/reader";
import { listSources } from "@/lib/sources/queries";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("sourcesPage");
  return { title: t("title") };
}

export default async function SourcesPage() {
  const user = await requirePageUser();
  await connection();
  const t = await getTranslations("sourcesPage");
  const allowed = can(user.role, "manage");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <SettingsNav current="sources" />
      {allowed ? <SourcesTable sources={await readForPage(listSources)} now={new Date()} /> : <Notice>{t("adminsOnly")}</Notice>}
    </>
  );
}
