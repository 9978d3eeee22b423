import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { Suspense } from "react";
import { ConnectorsView } from "@/components/connectors/connectors-view";
import { PageHeader } from "@/components/layout/page-header";
import { SkeletonRows } from "@/components/ui/states";
import { listConnectors } from "@/lib/connectors/queries";
import { db } from "@/lib/db/client";
import { requirePageUser } from "@/lib/auth/page-user";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("connectors");
  return { title: t("title") };
}

export default async function ConnectorsPage() {
  await requirePageUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("connectors.title")} intro={t("connectors.intro")} />
      <Suspense fallback={<SkeletonRows rows={4} label={t("common.loading")} />}>
        <ConnectorsFirstPaint />
      </Suspense>
    </>
  );
}

async function ConnectorsFirstPaint() {
  await connection();
  return <ConnectorsView initial={await readConnectors()} />;
}

async function readConnectors() {
  return { data: await listConnectors(db()), at: Date.now() };
}
