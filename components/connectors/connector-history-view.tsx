"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useMemo } from "react";
import { ActivityLog } from "@/components/alerts/activity-log";
import { BarChart } from "@/components/charts/bar-chart";
import { colourOf } from "@/components/charts/code-colors";
import { ConnectorAlerts } from "@/components/connectors/connector-alerts";
import { ConnectorEvents } from "@/components/connectors/connector-events";
import { useConnectorHistory } from "@/components/connectors/connector-queries";
import { historyViewFromSearch, historyViewToSearch, type HistoryView } from "@/components/connectors/history-url";
import { Breadcrumb } from "@/components/layout/breadcrumb";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { ErrorState, Notice, SkeletonRows } from "@/components/ui/states";
import { UpdatedLabel } from "@/components/ui/updated-label";
import { ValidateControl, ValidationUnavailableNotice } from "@/components/validation/validate-control";
import { ValidationHistory } from "@/components/validation/validation-history";
import { useValidationTimeline } from "@/components/validation/validation-timeline";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import { HISTORY_RANGES, type HistoryRangeName } from "@/lib/connectors/history-range";
import type { ConnectorHistory, EventsPage } from "@/lib/connectors/schemas";

type Props = {
  id: number;
  initial: { view: string; history: ConnectorHistory; events: EventsPage; at: number };
  /** Operators and admins validate connectors. */
  canValidate: boolean;
};

/** One connector over time: stacked events by code, configuration changes, alerts and events. */
export function ConnectorHistoryView({ id, initial, canValidate }: Readonly<Props>) {
  const t = useTranslations();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => historyViewFromSearch(Object.fromEntries(searchParams)), [searchParams]);
  const fromServer = initial.view === historyViewToSearch(view);
  const history = useConnectorHistory(id, view.range, fromServer ? { data: initial.history, at: initial.at } : undefined);
  const change = useCallback(
    (patch: Partial<HistoryView>) => window.history.pushState(null, "", `${pathname}${historyViewToSearch({ ...view, ...patch })}`),
    [pathname, view],
  );
  const data = history.data;
  const format = useFormatter();
  const validationEntries = useValidationTimeline();
  const connector = (data ?? initial.history).connector;
  const retiredAt = connector.retiredAt;

  return (
    <>
      <div className="mb-2">
        <Breadcrumb label={t("alert.breadcrumb")} parent={{ href: "/connectors", label: t("history.breadcrumb") }} current={initial.history.connector.name} />
      </div>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t("history.title", { name: initial.history.connector.name })}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            {t(`connectorKind.${initial.history.connector.kind}`)}
            {retiredAt ? (
              <Badge tone="muted">{t("organisation.retired")}</Badge>
            ) : (
              <Badge tone={data?.connector.enabled === false ? "muted" : "info"}>
                {data?.connector.enabled === false ? t("common.disabled") : t("common.enabled")}
              </Badge>
            )}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {canValidate ? <ValidateControl connector={connector} /> : null}
          <RangeSwitch value={view.range} onChange={(range) => change({ range })} />
        </div>
      </div>
      <div className="mb-4 space-y-2">
        {retiredAt ? <Notice tone="info">{t("organisation.retiredHistory", { date: format.dateTime(new Date(retiredAt), "short") })}</Notice> : null}
        {canValidate ? <ValidationUnavailableNotice connector={connector} /> : null}
        <UpdatedLabel updatedAt={history.dataUpdatedAt} fetching={history.isFetching} />
        {history.isError && data ? <Notice>{t("common.refreshFailedShort", { message: history.error.message })}</Notice> : null}
      </div>
      {!data && history.isPending ? <SkeletonRows rows={6} label={t("common.loading")} /> : null}
      {!data && history.isError ? (
        <ErrorState title={t("history.loadError")} message={history.error.message} retryLabel={t("common.retry")} onRetry={() => history.refetch()} />
      ) : null}
      {data ? (
        <div className="space-y-6">
          <div className="grid gap-6 lg:grid-cols-3">
            <div aria-busy={history.isPlaceholderData} className={`min-w-0 lg:col-span-2 ${history.isPlaceholderData ? "opacity-60" : ""}`}>
              <HistoryChart history={data} />
            </div>
            <Panel id="connector-changes" title={t("validation.timelineTitle")} className="min-w-0">
              <ActivityLog entries={[...data.changes].reverse()} extras={validationEntries(data.validations)} empty={t("validation.timelineEmpty")} />
            </Panel>
          </div>
          <Panel id="connector-alerts" title={t("history.alertsTitle")}>
            <ConnectorAlerts alerts={data.alerts} />
          </Panel>
          <ValidationHistory connectorId={id} />
        </div>
      ) : null}
      <div className="mt-6">
        <ConnectorEvents connectorId={id} view={view} onFilter={change} initial={fromServer ? { data: initial.events, at: initial.at } : undefined} />
      </div>
    </>
  );
}

function RangeSwitch({ value, onChange }: Readonly<{ value: HistoryRangeName; onChange: (range: HistoryRangeName) => void }>) {
  const t = useTranslations("history");
  return (
    <div role="group" aria-label={t("rangeLabel")} className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300">
      {HISTORY_RANGES.map((range) => (
        <button
          key={range}
          type="button"
          aria-pressed={range === value}
          onClick={() => onChange(range)}
          className={`px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md ${range === value ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          {t(`range${range}`)}
        </button>
      ))}
    </div>
  );
}

function HistoryChart({ history }: Readonly<{ history: ConnectorHistory }>) {
  const t = useTranslations();
  const format = useFormatter();
  const totals = history.buckets.reduce(
    (sum, b) => {
      for (const [code, n] of Object.entries(b.counts)) sum[code === "delivered" ? "delivered" : "failed"] += n;
      return sum;
    },
    { delivered: 0, failed: 0 },
  );
  const count = totals.delivered + totals.failed;
  const series = history.codes.map((code) => ({
    key: code,
    label: code === "delivered" ? t("codes.delivered") : `${displayCode(code)} ${t(`codes.${codeKey(code)}`)}`,
    colour: colourOf(code),
  }));
  const markers = history.changes.map((c) => c.at);
  // A failed validation outweighs a passed one in the same bucket.
  const flags = [...history.validations]
    .sort((a, b) => Number(a.outcome === "passed") - Number(b.outcome === "passed"))
    .map((v) => (v.outcome === "passed" ? { at: v.startedAt, symbol: "✓", colour: "#047857" } : { at: v.startedAt, symbol: "✗", colour: "#b91c1c" }));
  const legend = [markers.length > 0 ? `⚑ ${t("history.changeMarker")}` : null, flags.length > 0 ? t("validation.marker") : null].filter(Boolean).join(" · ");
  const summary =
    count === 0
      ? t("history.chartEmpty")
      : t("history.chartSummary", { count, delivered: format.number(totals.delivered, "integer"), failed: format.number(totals.failed, "integer") });
  return (
    <Panel id="connector-chart" title={t("history.chartTitle")} description={legend || undefined}>
      <BarChart buckets={history.buckets} bucket={history.bucket} series={series} summary={summary} markers={markers} flags={flags} height={280} />
    </Panel>
  );
}
