import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { Suspense } from "react";
import { AlertsView } from "@/components/alerts/alerts-view";
import { PageHeader } from "@/components/layout/page-header";
import { SkeletonRows } from "@/components/ui/states";
import { listQueryFromSearch, listQueryToSearch } from "@/lib/alerts/list-params";
import { listAlerts } from "@/lib/alerts/queries";
import type { AlertListQuery } from "@/lib/alerts/schemas";
import { listConnectorNames } from "@/lib/connectors/queries";
import { db } from "@/lib/db/client";
import { requirePageUser } from "@/lib/auth/page-user";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("alerts");
  return { title: t("title") };
}

export default async function AlertsPage({ searchParams }: Readonly<{ searchParams: SearchParams }>) {
  await requirePageUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("alerts.title")} intro={t("alerts.intro")} />
      <Suspense fallback={<SkeletonRows rows={8} label={t("common.loading")} />}>
        <AlertsFirstPaint searchParams={searchParams} />
      </Suspense>
    </>
  );
}

// The first page is read on the server, so the table paints with data; the client then polls.
async function AlertsFirstPaint({ searchParams }: Readonly<{ searchParams: SearchParams }>) {
  await connection();
  const query = listQueryFromSearch(await searchParams);
  const { data, connectors, at } = await readFirstPage(query);
  return <AlertsView initial={{ search: listQueryToSearch(query), data, at }} connectors={connectors} />;
}

async function readFirstPage(query: AlertListQuery) {
  const [data, connectors] = await Promise.all([listAlerts(db(), query), listConnectorNames(db())]);
  return { data, connectors, at: Date.now() };
}
