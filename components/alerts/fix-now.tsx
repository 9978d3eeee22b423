"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { ConfirmDialog } from "@/components/alerts/confirm-dialog";
import { closesDialog, isConflict, useApplyFixNow, useFixNowView, useUndoFixNow } from "@/components/alerts/use-remediation";
import { Button } from "@/components/ui/button";
import { CommandBlock } from "@/components/ui/command-block";
import { ErrorState } from "@/components/ui/states";
import type { FixNowView } from "@/lib/remediation/schemas";

type Remediation = NonNullable<FixNowView["remediation"]>;
type Plan = NonNullable<FixNowView["plan"]>;

/** Fix now for a 4.4.316 alert of an on-premises connector: the button, its dialog, and Undo. */
export function FixNow({ alertId }: Readonly<{ alertId: number }>) {
  const t = useTranslations("remediation.fixNow");
  const view = useFixNowView(alertId, true);
  const statusRef = useRef<HTMLDivElement>(null);
  const liveId = view.data?.remediation && !view.data.remediation.undoneAt ? view.data.remediation.id : null;
  const previousLiveId = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    // Apply or Undo replaced the button that had focus: put focus on the new status, not the page.
    const changed = previousLiveId.current !== undefined && previousLiveId.current !== liveId;
    if (changed && (document.activeElement === document.body || document.activeElement === null)) statusRef.current?.focus();
    previousLiveId.current = liveId;
  }, [liveId]);

  if (view.isPending) {
    return (
      <p role="status" className="text-sm text-slate-600">
        {t("loading")}
      </p>
    );
  }
  if (view.isError) {
    return <ErrorState title={t("loadFailed")} message={view.error.message} retryLabel={t("retry")} onRetry={() => void view.refetch()} />;
  }
  const { remediation, plan } = view.data;
  const live = remediation && liveId !== null ? remediation : null;

  return (
    <section aria-labelledby={`fix-now-${alertId}`} className="space-y-3 rounded-md border border-blue-200 bg-blue-50/60 p-4" data-testid="fix-now">
      <h3 id={`fix-now-${alertId}`} className="text-sm font-semibold text-slate-900">
        {t("title")}
      </h3>
      <div ref={statusRef} tabIndex={-1} className="space-y-3 outline-none">
        {live ? (
          <RemediatedStatus alertId={alertId} remediation={live} />
        ) : (
          <>
            {remediation?.undoneAt ? <UndoneNote remediation={remediation} /> : null}
            {plan ? (
              <ApplyFixNow alertId={alertId} plan={plan} />
            ) : (
              <p className="text-sm text-slate-700">{view.data.blockedBy ? t(`notOffered.${view.data.blockedBy}`) : null}</p>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function ApplyFixNow({ alertId, plan }: Readonly<{ alertId: number; plan: Plan }>) {
  const t = useTranslations("remediation.fixNow");
  const format = useFormatter();
  const [open, setOpen] = useState(false);
  const apply = useApplyFixNow(alertId);
  const connector = plan.connector.name;

  const confirm = () =>
    apply.mutate(
      plan.domains.map((d) => d.id),
      closesDialog(() => setOpen(false)),
    );

  return (
    <>
      <p className="text-sm text-slate-700">{t("intro")}</p>
      {apply.isError && isConflict(apply.error) ? (
        <p role="status" className="text-sm font-medium text-amber-900">
          {t("conflict")}
        </p>
      ) : null}
      <Button variant="danger" onClick={() => setOpen(true)} data-testid="fix-now-button">
        {t("button")}
      </Button>
      <ConfirmDialog
        open={open}
        testId="fix-now-dialog"
        title={t("dialogTitle", { connector })}
        confirmLabel={t("confirm")}
        cancelLabel={t("cancel")}
        pendingLabel={t("applying")}
        pending={apply.isPending}
        confirmVariant="danger"
        error={apply.isError && !isConflict(apply.error) ? t("failed", { message: apply.error.message }) : null}
        onConfirm={confirm}
        onClose={() => {
          setOpen(false);
          apply.reset();
        }}
      >
        <p>{t("dialogIntro")}</p>
        <ul className="list-disc space-y-1.5 pl-5 font-medium text-slate-900">
          <li>{plan.connector.enabled ? t("disableConnector", { connector }) : t("connectorAlreadyDisabled", { connector })}</li>
          <li>
            {plan.domains.length > 0
              ? t("switchDomains", { count: plan.domains.length, domains: format.list(plan.domains.map((d) => d.name)) })
              : t("noDomains")}
          </li>
          <li>{t("bounce", { count: plan.queuedMessages })}</li>
        </ul>
        <p>{t("undoNote")}</p>
        <p className="text-slate-600">{t("effectNote")}</p>
        <TenantCommands intro="dialogIntro" lines={plan.powershell} testId="fix-now-powershell" />
      </ConfirmDialog>
    </>
  );
}

function RemediatedStatus({ alertId, remediation }: Readonly<{ alertId: number; remediation: Remediation }>) {
  const t = useTranslations("remediation");
  const format = useFormatter();
  const [open, setOpen] = useState(false);
  const undo = useUndoFixNow(alertId);
  const connector = remediation.connector.name;
  const domains = remediation.domains.map((d) => d.name);

  return (
    <>
      <p className="text-sm font-semibold text-emerald-800" data-testid="remediated-by">
        {t("fixNow.remediated", { actor: remediation.appliedBy, at: format.dateTime(new Date(remediation.appliedAt), "long") })}
      </p>
      <p className="text-sm text-slate-700">
        {t("fixNow.outcome", { connector, domains: domains.length, messages: remediation.rejectedMessages })}
      </p>
      <p className="text-sm text-slate-600">{t("fixNow.effectNote")}</p>
      <TenantState remediation={remediation} />
      {undo.isError && isConflict(undo.error) ? (
        <p role="status" className="text-sm font-medium text-amber-900">
          {t("undo.conflict")}
        </p>
      ) : null}
      <Button onClick={() => setOpen(true)} data-testid="undo-button">
        {t("undo.button")}
      </Button>
      <ConfirmDialog
        open={open}
        testId="undo-dialog"
        title={t("undo.dialogTitle")}
        confirmLabel={t("undo.confirm")}
        cancelLabel={t("undo.cancel")}
        pendingLabel={t("undo.undoing")}
        pending={undo.isPending}
        error={undo.isError && !isConflict(undo.error) ? t("undo.failed", { message: undo.error.message }) : null}
        onConfirm={() => undo.mutate(undefined, closesDialog(() => setOpen(false)))}
        onClose={() => {
          setOpen(false);
          undo.reset();
        }}
      >
        <p>{t("undo.dialogIntro")}</p>
        <ul className="list-disc space-y-1.5 pl-5 font-medium text-slate-900">
          <li>{remediation.connector.enabled ? t("undo.enableConnector", { connector }) : t("undo.keepConnector", { connector })}</li>
          {domains.length > 0 ? <li>{t("undo.restoreDomains", { count: domains.length, domains: format.list(domains) })}</li> : null}
        </ul>
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">{t("undo.bouncesStay", { count: remediation.rejectedMessages })}</p>
        <TenantCommands intro="undoDialogIntro" lines={remediation.undoPowershell} testId="undo-powershell" />
      </ConfirmDialog>
    </>
  );
}

function UndoneNote({ remediation }: Readonly<{ remediation: Remediation }>) {
  const t = useTranslations("remediation.fixNow");
  const format = useFormatter();
  return (
    <>
      <p className="text-sm text-slate-600" data-testid="undone-by">
        {t("remediated", { actor: remediation.appliedBy, at: format.dateTime(new Date(remediation.appliedAt), "long") })}
        {" · "}
        {t("undone", { actor: remediation.undoneBy ?? "", at: remediation.undoneAt ? format.dateTime(new Date(remediation.undoneAt), "long") : "" })}
      </p>
      <TenantState remediation={remediation} />
    </>
  );
}

/**
 * Whether the tenant shows what the product recorded: pending with the commands that make it
 * so, or confirmed by an import. Fix now and its Undo alike: the state belongs to the latest.
 */
function TenantState({ remediation }: Readonly<{ remediation: Remediation }>) {
  const t = useTranslations("remediation.tenant");
  const format = useFormatter();
  const undone = remediation.undoneAt !== null;
  if (remediation.tenantState === "CONFIRMED") {
    const at = remediation.tenantCheckedAt ? format.dateTime(new Date(remediation.tenantCheckedAt), "long") : "";
    return (
      <p className="text-sm font-medium text-emerald-800" data-testid="tenant-state">
        {t(undone ? "undoConfirmed" : "confirmed", { at })}
      </p>
    );
  }
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="tenant-state">
      <p className="text-sm font-medium text-amber-950">{t(undone ? "undoPending" : "pending")}</p>
      <CommandBlock lines={undone ? remediation.undoPowershell : remediation.powershell} label={t("label")} copyLabel={t("copy")} copiedLabel={t("copied")} />
    </div>
  );
}

/** The same change as Exchange Online PowerShell, in a dialog before the admin confirms. */
function TenantCommands({ intro, lines, testId }: Readonly<{ intro: "dialogIntro" | "undoDialogIntro"; lines: readonly string[]; testId: string }>) {
  const t = useTranslations("remediation.tenant");
  return (
    <section aria-label={t("dialogTitle")} className="space-y-2">
      <p className="text-slate-700">{t(intro)}</p>
      <CommandBlock lines={lines} label={t("label")} copyLabel={t("copy")} copiedLabel={t("copied")} testId={testId} />
    </section>
  );
}
