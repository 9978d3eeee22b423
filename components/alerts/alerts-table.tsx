"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { ExpectedBadge, SeverityBadge, StatusBadge } from "@/components/alerts/alert-badges";
import { CodeLabel } from "@/components/alerts/code-label";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { AlertListQuery, AlertSort, AlertSummary } from "@/lib/alerts/schemas";

type Props = {
  items: readonly AlertSummary[];
  query: AlertListQuery;
  onSort: (sort: AlertSort) => void;
};

export function AlertsTable({ items, query, onSort }: Readonly<Props>) {
  const t = useTranslations("alerts");
  const format = useFormatter();
  const sortLabel = t(`columns.${query.sort}`);

  const sortable = (sort: AlertSort, align: "left" | "right" = "left") => {
    const active = query.sort === sort;
    const label = t(`columns.${sort}`);
    return (
      <Th aria-sort={active ? (query.order === "asc" ? "ascending" : "descending") : undefined} className={align === "right" ? "text-right" : ""}>
        <button
          type="button"
          onClick={() => onSort(sort)}
          aria-label={t("sortBy", { column: label })}
          className={`inline-flex items-center gap-1 uppercase hover:text-slate-900 ${active ? "text-slate-900" : ""}`}
        >
          {label}
          <span aria-hidden="true" className={active ? "" : "opacity-30"}>
            {active && query.order === "asc" ? "▲" : "▼"}
          </span>
        </button>
      </Th>
    );
  };

  return (
    <Table caption={t("tableCaption", { sort: sortLabel, order: query.order })}>
      <thead className="bg-slate-50">
        <tr>
          <Th>{t("columns.code")}</Th>
          <Th>{t("columns.connector")}</Th>
          <Th>{t("columns.destination")}</Th>
          {sortable("firstSeen")}
          {sortable("lastSeen")}
          {sortable("events", "right")}
          {sortable("queued", "right")}
          {sortable("severity")}
          <Th>{t("columns.status")}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 bg-white">
        {items.map((a) => (
          <tr key={a.id} className="hover:bg-slate-50">
            <Td>
              <Link href={`/alerts/${a.id}`} className="group block rounded focus-visible:outline-2">
                <span className="group-hover:underline">
                  <CodeLabel code={a.errorCode} stacked />
                </span>
              </Link>
              {a.regressionOfId ? (
                <Badge tone="warning" className="mt-1">
                  {t("regression")}
                </Badge>
              ) : null}
            </Td>
            <Td>
              <Link href={`/connectors/${a.connector.id}`} className="text-blue-800 hover:underline">
                {a.connector.name}
              </Link>
            </Td>
            <Td className="max-w-48 truncate font-mono text-xs" title={a.latestDestination ?? undefined}>
              {a.latestDestination ?? "—"}
            </Td>
            <Td className="whitespace-nowrap">{format.dateTime(new Date(a.firstSeenAt), "short")}</Td>
            <Td className="whitespace-nowrap">{format.dateTime(new Date(a.lastSeenAt), "short")}</Td>
            <Td className="text-right tabular-nums">{format.number(a.eventCount, "integer")}</Td>
            <Td className={`text-right tabular-nums ${a.queuedCount > 0 ? "font-semibold text-amber-800" : "text-slate-500"}`}>
              {format.number(a.queuedCount, "integer")}
            </Td>
            <Td>
              <SeverityBadge severity={a.severity} />
            </Td>
            <Td>
              <div className="flex flex-col items-start gap-1">
                <StatusBadge status={a.status} />
                <ExpectedBadge expected={a.expected} />
              </div>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
