/** /settings/audit: the audit log, filtered by time range, actor, action and target type, with Export CSV (admins) */
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Notice, SkeletonRows } from "@/components/ui/states";
import { AUDIT_PERMISSION } from "@/lib/audit/queries";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auditLog");
  return { title: t("title") };
}

export default async function AuditLogPage() {
  const user = await requirePageUser();
  const [t, tc] = await Promise.all([getTranslations("auditLog"), getTranslations("common")]);
  return (
    <>
      <PageHeader title={t("title")} />
      <SettingsNav current="audit" />
      {can(user.role, AUDIT_PERMISSION) ? (
        // The view reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
        <Suspense fallback={<SkeletonRows rows={5} label={tc("loading")} />}>
          <AuditLogView />
        </Suspense>
      ) : (
        <Notice>{t("adminsOnly")}</Notice>
      )}
    </>
  );
}
