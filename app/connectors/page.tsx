import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { Suspense } from "react";
import { ConnectorsView } from "@/components/connectors/connectors-view";
import { PageHeader } from "@/components/layout/page-header";
import { SkeletonRows } from "@/components/ui/states";
import { listConnectors } from "@/lib/connectors/queries";
import { readForPage } from "@/lib/db/reader";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("connectors");
  return { title: t("title") };
}

export default async function ConnectorsPage() {
  const user = await requirePageUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("connectors.title")} intro={t("connectors.intro")} />
      <Suspense fallback={<SkeletonRows rows={4} label={t("common.loading")} />}>
        <ConnectorsFirstPaint canManage={can(user.role, "manage")} />
      </Suspense>
    </>
  );
}

async function ConnectorsFirstPaint({ canManage }: Readonly<{ canManage: boolean }>) {
  await connection();
  return <ConnectorsView initial={await readConnectors()} canManage={canManage} />;
}

async function readConnectors() {
  return { data: await readForPage(listConnectors), at: Date.now() };
}
