"use client";

import { useTranslations } from "next-intl";
import { ActivityLog } from "@/components/alerts/activity-log";
import { AlertActions } from "@/components/alerts/alert-actions";
import { AlertEventsChart } from "@/components/alerts/alert-events-chart";
import { AffectedDomains, LatestError } from "@/components/alerts/alert-facts";
import { AlertHeader } from "@/components/alerts/alert-header";
import { useAlertDetail } from "@/components/alerts/alert-queries";
import { QueuedMessages } from "@/components/alerts/queued-messages";
import { RemediationPanel } from "@/components/alerts/remediation-panel";
import { Panel } from "@/components/ui/panel";
import { ErrorState, Notice, SkeletonRows } from "@/components/ui/states";
import { UpdatedLabel } from "@/components/ui/updated-label";
import type { AlertDetail } from "@/lib/alerts/schemas";

type Props = { id: number; initial: { data: AlertDetail; at: number } };

/** One alert: header, chart, latest error, remediation, messages, activity; polled while open. */
export function AlertDetailView({ id, initial }: Readonly<Props>) {
  const t = useTranslations();
  const detail = useAlertDetail(id, initial);
  const data = detail.data;
  if (!data) {
    return detail.isError ? (
      <ErrorState title={t("alert.loadError")} message={detail.error.message} retryLabel={t("common.retry")} onRetry={() => detail.refetch()} />
    ) : (
      <SkeletonRows rows={6} label={t("common.loading")} />
    );
  }
  const { alert } = data;

  return (
    <>
      <AlertHeader alert={alert} regressionOf={data.regressionOf} regressions={data.regressions} />
      <div className="mb-4 space-y-2">
        <UpdatedLabel updatedAt={detail.dataUpdatedAt} fetching={detail.isFetching} />
        {detail.isError ? <Notice>{t("common.refreshFailedShort", { message: detail.error.message })}</Notice> : null}
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <AlertEventsChart alert={alert} histogram={data.histogram} />
          <LatestError alert={alert} />
          <RemediationPanel alert={alert} />
        </div>
        <aside className="min-w-0 space-y-6">
          <div className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <AlertActions alert={alert} />
          </div>
          <AffectedDomains alert={alert} domains={data.domains} />
          <Panel id="alert-activity" title={t("alert.activityTitle")}>
            <ActivityLog entries={data.audit} empty={t("alert.activityEmpty")} />
          </Panel>
        </aside>
      </div>
      <div className="mt-6">
        <QueuedMessages alertId={alert.id} firstPage={data.messages} renderedAt={initial.at} />
      </div>
    </>
  );
}
