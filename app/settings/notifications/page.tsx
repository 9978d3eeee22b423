/** /settings/notifications: notification channels, rules, maintenance windows and the notification log (admins) */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/layout/page-header";
import { ChannelsSection } from "@/components/notifications/channels-section";
import { MaintenanceSection } from "@/components/notifications/maintenance-section";
import { NotificationLog } from "@/components/notifications/notification-log";
import { RulesSection } from "@/components/notifications/rules-section";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Notice } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";
import { readForPage } from "@/lib/db/reader";
import { appUrl } from "@/lib/notify/secret-key";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("notifySettings");
  return { title: t("title") };
}

export default async function NotificationsSettingsPage() {
  const user = await requirePageUser();
  const t = await getTranslations("notifySettings");
  const admin = can(user.role, "manage");
  const connectors = admin ? await readForPage((reader) => reader.connector.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } })) : [];
  return (
    <>
      <PageHeader title={t("title")} />
      <SettingsNav current="notifications" />
      {admin ? (
        <div className="space-y-6">
          {appUrl() ? null : <Notice>{t("appUrlMissing")}</Notice>}
          <ChannelsSection />
          <RulesSection connectors={connectors} />
          <MaintenanceSection connectors={connectors} />
          <NotificationLog />
        </div>
      ) : <Notice>{t("adminsOnly")}</Notice>}
    </>
  );
}
