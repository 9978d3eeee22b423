/** /settings/users: users and their roles (admins) */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsNav } from "@/components/settings/settings-nav";
import { UsersAdmin } from "@/components/settings/users-admin";
import { Notice } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("usersTitle") };
}

export default async function UsersPage() {
  const user = await requirePageUser();
  const t = await getTranslations("settings");
  return (
    <>
      <PageHeader title={t("usersTitle")} intro={t("usersIntro")} />
      <SettingsNav current="users" />
      {can(user.role, "manage") ? <UsersAdmin selfId={user.id} /> : <Notice>{t("adminsOnly")}</Notice>}
    </>
  );
}
