"use client";

import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/alerts/confirm-dialog";
import { closesDialog, isConflict, useAlertAction } from "@/components/alerts/use-remediation";
import { Button } from "@/components/ui/button";
import type { AlertActionBody } from "@/lib/alerts/action-schemas";
import type { AlertDetail } from "@/lib/alerts/schemas";
import { effectiveStatus } from "@/lib/alerts/snooze";
import { DEFAULT_TIME_ZONE } from "@/lib/i18n/locale";
import { fromZonedInput, toZonedInput } from "@/lib/i18n/zoned-time";

type Props = { alert: AlertDetail["alert"] };
type Dialog = "dismiss" | "snooze" | null;

const DEFAULT_SNOOZE_HOURS = 4;
const CONTROL = "block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-blue-600";

/** Acknowledge, dismiss with a reason, snooze until a time, or end a snooze. */
export function AlertActions({ alert }: Readonly<Props>) {
  const t = useTranslations("remediation.actions");
  const format = useFormatter();
  // Times are entered in the zone the dashboard shows them in.
  const timeZone = useTimeZone() ?? DEFAULT_TIME_ZONE;
  const action = useAlertAction(alert.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const status = effectiveStatus(alert, new Date());
  const closed = status === "RESOLVED" || status === "DISMISSED";
  const at = (iso: string) => format.dateTime(new Date(iso), "long");

  const run = (body: AlertActionBody) => action.mutate(body, closesDialog(() => setDialog(null)));
  const open = (which: Exclude<Dialog, null>) => {
    action.reset();
    if (which === "snooze") setUntil(toZonedInput(new Date(Date.now() + DEFAULT_SNOOZE_HOURS * 3_600_000), timeZone));
    if (which === "dismiss") setReason("");
    setDialog(which);
  };
  const failure = action.isError && !isConflict(action.error) ? t("failed", { message: action.error.message }) : null;
  const dialogProps = {
    cancelLabel: t("cancel"),
    pendingLabel: t("working"),
    pending: action.isPending,
    error: failure,
    onClose: () => setDialog(null),
  };

  return (
    <section aria-labelledby={`actions-${alert.id}`} className="space-y-3" data-testid="alert-actions">
      <h2 id={`actions-${alert.id}`} className="text-sm font-semibold text-slate-900">
        {t("title")}
      </h2>
      <StatusLines alert={alert} woke={alert.status === "SNOOZED" && status === "ACTIVE"} at={at} />
      {action.isError && isConflict(action.error) ? (
        <p role="status" className="text-sm font-medium text-amber-900">
          {t("conflict")}
        </p>
      ) : null}
      {failure && dialog === null ? (
        <p role="alert" className="text-sm text-red-800">
          {failure}
        </p>
      ) : null}
      {closed ? (
        <p className="text-sm text-slate-600">{t("closed")}</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {status !== "INVESTIGATING" ? (
            <Button variant="primary" disabled={action.isPending} onClick={() => run({ action: "acknowledge" })} title={t("acknowledgeHint")}>
              {t("acknowledge")}
            </Button>
          ) : null}
          {alert.status === "SNOOZED" ? (
            <Button disabled={action.isPending} onClick={() => run({ action: "unsnooze" })}>
              {t("unsnooze")}
            </Button>
          ) : (
            <Button onClick={() => open("snooze")}>{t("snooze")}</Button>
          )}
          <Button onClick={() => open("dismiss")}>{t("dismiss")}</Button>
        </div>
      )}

      <ConfirmDialog
        {...dialogProps}
        open={dialog === "dismiss"}
        testId="dismiss-dialog"
        title={t("dismissTitle")}
        confirmLabel={t("dismissConfirm")}
        confirmVariant="danger"
        onConfirm={() => run({ action: "dismiss", reason })}
      >
        <p>{t("dismissIntro")}</p>
        <label htmlFor={`dismiss-reason-${alert.id}`} className="block text-xs font-medium text-slate-700">
          {t("dismissReason")}
        </label>
        <textarea
          id={`dismiss-reason-${alert.id}`}
          data-autofocus
          required
          minLength={3}
          maxLength={500}
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-describedby={`dismiss-hint-${alert.id}`}
          className={CONTROL}
        />
        <p id={`dismiss-hint-${alert.id}`} className="text-xs text-slate-500">
          {t("dismissReasonHint")}
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        {...dialogProps}
        open={dialog === "snooze"}
        testId="snooze-dialog"
        title={t("snoozeTitle")}
        confirmLabel={t("snoozeConfirm")}
        onConfirm={() => run({ action: "snooze", until: fromZonedInput(until, timeZone)?.toISOString() ?? until })}
      >
        <p>{t("snoozeIntro", { queued: alert.queuedCount })}</p>
        <label htmlFor={`snooze-until-${alert.id}`} className="block text-xs font-medium text-slate-700">
          {t("snoozeUntil", { zone: timeZone })}
        </label>
        <input
          id={`snooze-until-${alert.id}`}
          type="datetime-local"
          data-autofocus
          required
          min={toZonedInput(new Date(), timeZone)}
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          className={CONTROL}
        />
      </ConfirmDialog>
    </section>
  );
}

function StatusLines({ alert, woke, at }: Readonly<{ alert: Props["alert"]; woke: boolean; at: (iso: string) => string }>) {
  const t = useTranslations("remediation.actions");
  const lines: string[] = [];
  if (alert.status === "INVESTIGATING" && alert.acknowledgedBy && alert.acknowledgedAt) lines.push(t("acknowledged", { actor: alert.acknowledgedBy, at: at(alert.acknowledgedAt) }));
  if (alert.status === "SNOOZED" && alert.snoozedUntil && !woke) lines.push(t("snoozed", { until: at(alert.snoozedUntil) }));
  if (woke) lines.push(t("snoozeWoke"));
  if (alert.status === "DISMISSED" && alert.dismissedBy) lines.push(t("dismissed", { actor: alert.dismissedBy, reason: alert.dismissedReason ?? "" }));
  if (lines.length === 0) return null;
  return (
    <ul className="space-y-0.5 text-sm text-slate-700" data-testid="alert-action-status">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
