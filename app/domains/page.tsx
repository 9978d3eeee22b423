import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { Suspense } from "react";
import { DomainsTable } from "@/components/domains/domains-table";
import { PageHeader } from "@/components/layout/page-header";
import { SkeletonRows } from "@/components/ui/states";
import { db } from "@/lib/db/client";
import { listDomains } from "@/lib/domains/queries";
import { requirePageUser } from "@/lib/auth/page-user";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("domains");
  return { title: t("title") };
}

export default async function DomainsPage() {
  await requirePageUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("domains.title")} intro={t("domains.intro")} />
      <Suspense fallback={<SkeletonRows rows={5} label={t("common.loading")} />}>
        <Domains />
      </Suspense>
    </>
  );
}

// Read on the server at every request: after Fix now, a visit shows the new types at once.
async function Domains() {
  await connection();
  const { items } = await listDomains(db());
  return <DomainsTable domains={items} />;
}
