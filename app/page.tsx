import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { connection } from "next/server";
import { Suspense } from "react";
import { AlertsView } from "@/components/alerts/alerts-view";
import { GettingStarted } from "@/components/alerts/getting-started";
import { PageHeader } from "@/components/layout/page-header";
import { SilentSources } from "@/components/sources/silent-sources";
import { SkeletonRows } from "@/components/ui/states";
import { listQueryFromSearch, listQueryToSearch } from "@/lib/alerts/list-params";
import { listAlerts } from "@/lib/alerts/queries";
import type { AlertListQuery } from "@/lib/alerts/schemas";
import { listConnectorNames } from "@/lib/connectors/queries";
import { readForPage } from "@/lib/db/reader";
import { env } from "@/lib/env";
import { requirePageUser } from "@/lib/auth/page-user";
import { can } from "@/lib/auth/roles";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("alerts");
  return { title: t("title") };
}

export default async function AlertsPage({ searchParams }: Readonly<{ searchParams: SearchParams }>) {
  const user = await requirePageUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("alerts.title")} intro={t("alerts.intro")} />
      <Suspense fallback={<SkeletonRows rows={8} label={t("common.loading")} />}>
        <AlertsFirstPaint searchParams={searchParams} canManage={can(user.role, "manage")} />
      </Suspense>
    </>
  );
}

// The first page is read on the server, so the table paints with data; the client then polls.
async function AlertsFirstPaint({ searchParams, canManage }: Readonly<{ searchParams: SearchParams; canManage: boolean }>) {
  await connection();
  const query = listQueryFromSearch(await searchParams);
  const { data, connectors, at } = await readFirstPage(query);
  // Nothing to report on before the organisation is described: say what to do first.
  if (connectors.length === 0) return <GettingStarted origin={await requestOrigin()} canManage={canManage} now={new Date(at).toISOString()} />;
  return (
    <>
      <SilentSources />
      <AlertsView initial={{ search: listQueryToSearch(query), data, at }} connectors={connectors} />
    </>
  );
}

/** The public address (AUTH_URL), else the one the admin reached the dashboard at, for commands they copy. */
async function requestOrigin(): Promise<string> {
  const configured = env().AUTH_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000"}`;
}

async function readFirstPage(query: AlertListQuery) {
  const [data, connectors] = await readForPage((reader) => Promise.all([listAlerts(reader, query), listConnectorNames(reader)]));
  return { data, connectors, at: Date.now() };
}
