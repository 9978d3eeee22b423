import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { Suspense } from "react";
import { DomainsView } from "@/components/domains/domains-view";
import { PageHeader } from "@/components/layout/page-header";
import { SkeletonRows } from "@/components/ui/states";
import { readForPage } from "@/lib/db/reader";
import { listDomains, listRelayChoices } from "@/lib/domains/queries";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("domains");
  return { title: t("title") };
}

export default async function DomainsPage() {
  const user = await requirePageUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("domains.title")} intro={t("domains.intro")} />
      <Suspense fallback={<SkeletonRows rows={5} label={t("common.loading")} />}>
        <Domains canManage={can(user.role, "manage")} />
      </Suspense>
    </>
  );
}

// Read on the server at every request: after Fix now, a visit shows the new types at once.
async function Domains({ canManage }: Readonly<{ canManage: boolean }>) {
  await connection();
  const [initial, relays] = await Promise.all([readDomains(), canManage ? readForPage(listRelayChoices) : []]);
  return <DomainsView initial={initial} relays={relays} canManage={canManage} />;
}

async function readDomains() {
  return { data: await readForPage(listDomains), at: Date.now() };
}
