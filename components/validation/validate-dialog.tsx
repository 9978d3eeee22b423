"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { CertificateList, groupsOf, OutcomeLine, StepsByTarget, type StepGroup } from "@/components/validation/validation-steps";
import { useValidateConnector, type LiveStep } from "@/components/validation/validation-queries";
import { ApiError } from "@/lib/http/api-client";

type Props = { connector: { id: number; name: string }; open: boolean; onClose: () => void };

/**
 * "Validate connector": an optional test recipient, then the steps as the server reports them, the
 * outcome and the certificates seen. It cannot be closed while the validation runs.
 */
export function ValidateDialog({ connector, open, onClose }: Readonly<Props>) {
  const t = useTranslations("validation");
  const titleId = useId();
  const introId = useId();
  const [recipient, setRecipient] = useState("");
  const [live, setLive] = useState<LiveStep[]>([]);
  const run = useValidateConnector(connector.id, (step) => setLive((steps) => [...steps, step]));
  const close = () => {
    run.reset();
    setLive([]);
    setRecipient("");
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (run.isPending) return;
    setLive([]);
    run.mutate({ recipient });
  };
  const groups = run.data ? groupsOf(run.data.targets) : groupByTarget(live);
  const recipientError = run.error instanceof ApiError && run.error.status === 400 ? run.error.message : null;
  const otherError = run.error && !recipientError ? run.error.message : null;
  const last = live.at(-1);

  return (
    <Modal open={open} labelledBy={titleId} describedBy={introId} busy={run.isPending} onClose={close} width="lg" testId="validate-dialog">
      <form onSubmit={submit} className="space-y-4 px-6 py-5">
        <h2 id={titleId} className="text-lg font-semibold">
          {t("dialogTitle", { name: connector.name })}
        </h2>
        <p id={introId} className="text-sm text-slate-700">
          {t("dialogIntro")}
        </p>
        <InputField
          id="validate-recipient"
          label={t("recipientLabel")}
          hint={t("recipientHint")}
          error={recipientError}
          value={recipient}
          onChange={(e) => setRecipient(e.target.value)}
          disabled={run.isPending}
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          data-autofocus
        />
        {/* Screen readers hear each step and the outcome once; the list below is for reading. */}
        <p aria-live="polite" className="sr-only">
          {run.data
            ? t(run.data.outcome === "passed" ? "passed" : "failed")
            : last
              ? t("stepAnnounce", { step: t(`steps.${last.step.name}`), result: t(last.step.ok ? "stepPassed" : "stepFailed") })
              : ""}
        </p>
        {run.data ? (
          <div data-testid="validation-outcome">
            <OutcomeLine validation={run.data} />
          </div>
        ) : null}
        {run.isPending || groups.length > 0 ? (
          <section aria-labelledby={`${titleId}-steps`} aria-busy={run.isPending} data-testid="validation-steps">
            <h3 id={`${titleId}-steps`} className="mb-2 text-sm font-semibold text-slate-900">
              {t("stepsTitle")}
            </h3>
            {groups.length === 0 ? <p className="text-sm text-slate-600">{t("waiting")}</p> : <StepsByTarget groups={groups} />}
          </section>
        ) : null}
        {run.data ? <CertificateList certificates={run.data.targets.flatMap((target) => (target.certificate ? [target.certificate] : []))} /> : null}
        {otherError ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {run.error instanceof ApiError && run.error.code === "stopped" ? t("stopped", { message: otherError }) : otherError}
          </p>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button onClick={close} disabled={run.isPending}>
            {run.data ? t("close") : t("cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={run.isPending} aria-busy={run.isPending}>
            {run.isPending ? t("running") : run.data ? t("again") : t("start")}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** Live steps in the order their servers first appeared. */
function groupByTarget(live: readonly LiveStep[]): StepGroup[] {
  const groups = new Map<string, { target: LiveStep["target"]; steps: LiveStep["step"][] }>();
  for (const { target, step } of live) {
    const key = `${target.host}|${target.address}|${target.port}`;
    const group = groups.get(key) ?? { target, steps: [] };
    group.steps.push(step);
    groups.set(key, group);
  }
  return [...groups.values()];
}
