"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useMemo, useState } from "react";
import { AlertFilters } from "@/components/alerts/alert-filters";
import { useAlertList } from "@/components/alerts/alert-queries";
import { AlertTiles } from "@/components/alerts/alert-tiles";
import { AlertsTable } from "@/components/alerts/alerts-table";
import { ExportLink } from "@/components/exports/export-link";
import { Button } from "@/components/ui/button";
import { Pager } from "@/components/ui/pager";
import { EmptyState, ErrorState, Notice, SkeletonRows } from "@/components/ui/states";
import { UpdatedLabel } from "@/components/ui/updated-label";
import { listQueryFromSearch, listQueryToSearch } from "@/lib/alerts/list-params";
import type { AlertList, AlertListQuery, AlertSort } from "@/lib/alerts/schemas";

type Props = {
  initial: { search: string; data: AlertList; at: number };
  connectors: readonly { id: number; name: string }[];
};

/** The alerts home: tiles, filters and table, all driven by the URL's search parameters. */
export function AlertsView({ initial, connectors }: Readonly<Props>) {
  const t = useTranslations();
  const format = useFormatter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const query = useMemo(() => listQueryFromSearch(Object.fromEntries(searchParams)), [searchParams]);
  const search = listQueryToSearch(query);
  // Cursors of the pages before this one: keyset pagination only knows the way forward.
  const [trail, setTrail] = useState<(string | undefined)[]>([]);

  const list = useAlertList(query, initial.search === search ? initial : undefined);

  const navigate = useCallback(
    (next: AlertListQuery, mode: "push" | "replace" = "push") => {
      const url = `${pathname}${listQueryToSearch(next)}`;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );

  const change = useCallback(
    (patch: Partial<AlertListQuery>, mode: "push" | "replace" = "push") => {
      setTrail([]);
      navigate({ ...query, ...patch, cursor: undefined }, mode);
    },
    [navigate, query],
  );

  const sortBy = (sort: AlertSort) =>
    change({ sort, order: query.sort === sort && query.order === "desc" ? "asc" : "desc" });

  const filtered = Boolean(query.code || query.connector || query.q || query.status !== "active");
  const clear = () => change({ status: "active", code: undefined, connector: undefined, q: undefined });
  const data = list.data;

  return (
    <>
      {data ? <AlertTiles totals={data.totals} selected={query.code} onSelect={(code) => change({ code })} /> : null}
      <AlertFilters query={query} connectors={connectors} onChange={change} onClear={filtered ? clear : undefined} />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <UpdatedLabel updatedAt={list.dataUpdatedAt} fetching={list.isFetching} />
        <ExportLink href={`/api/alerts/export${listQueryToSearch({ ...query, cursor: undefined })}`} />
      </div>
      {list.isError && data ? (
        <div className="mb-3">
          <Notice>{t("common.refreshFailed", { message: list.error.message, time: format.dateTime(new Date(list.dataUpdatedAt), "time") })}</Notice>
        </div>
      ) : null}
      {!data && list.isPending ? <SkeletonRows rows={8} label={t("common.loading")} /> : null}
      {!data && list.isError ? (
        <ErrorState title={t("alerts.errorTitle")} message={list.error.message} retryLabel={t("common.retry")} onRetry={() => list.refetch()} />
      ) : null}
      {data && data.items.length === 0 ? (
        filtered || query.cursor ? (
          <EmptyState
            title={t("alerts.emptyFilteredTitle")}
            body={t("alerts.emptyFilteredBody")}
            action={<Button onClick={clear}>{t("alerts.clearFilters")}</Button>}
          />
        ) : (
          <EmptyState title={t("alerts.emptyTitle")} body={t("alerts.emptyBody")} />
        )
      ) : null}
      {data && data.items.length > 0 ? (
        <div aria-busy={list.isPlaceholderData} className={`rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${list.isPlaceholderData ? "opacity-60" : ""}`}>
          <AlertsTable items={data.items} query={query} onSort={sortBy} />
        </div>
      ) : null}
      <Pager
        label={t("common.pagination")}
        previousLabel={trail.length > 0 || !query.cursor ? t("common.previousPage") : t("common.firstPage")}
        nextLabel={t("common.nextPage")}
        onPrevious={
          query.cursor
            ? () => {
                setTrail(trail.slice(0, -1));
                navigate({ ...query, cursor: trail.at(-1) });
              }
            : undefined
        }
        onNext={
          data?.nextCursor && !list.isPlaceholderData
            ? () => {
                setTrail([...trail, query.cursor]);
                navigate({ ...query, cursor: data.nextCursor ?? undefined });
              }
            : undefined
        }
      />
    </>
  );
}
