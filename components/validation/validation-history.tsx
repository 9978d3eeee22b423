"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import { ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import { useValidationHistory } from "@/components/validation/validation-queries";
import { CertificateList, duration, groupsOf, OutcomeLine, StepsByTarget } from "@/components/validation/validation-steps";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import type { ValidationView } from "@/lib/probe/schemas";

/** Every validation of a connector, newest first, older ones on request; each opens to its steps. */
export function ValidationHistory({ connectorId }: Readonly<{ connectorId: number }>) {
  const t = useTranslations("validation");
  const tAll = useTranslations();
  const history = useValidationHistory(connectorId);
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Panel id="connector-validations" title={t("historyTitle")} description={t("historyDescription")}>
      {history.isPending ? <SkeletonRows rows={3} label={tAll("common.loading")} /> : null}
      {history.isError && items.length === 0 ? (
        <ErrorState title={t("historyLoadError")} message={history.error.message} retryLabel={tAll("common.retry")} onRetry={() => history.refetch()} />
      ) : null}
      {history.isSuccess && items.length === 0 ? <p className="text-sm text-slate-600">{t("historyEmpty")}</p> : null}
      {items.length > 0 ? (
        <Table caption={t("historyCaption")}>
          <thead className="bg-slate-50">
            <tr>
              <Th>{t("columns.when")}</Th>
              <Th>{t("columns.who")}</Th>
              <Th>{t("columns.recipient")}</Th>
              <Th>{t("columns.outcome")}</Th>
              <Th>{t("columns.code")}</Th>
              <Th>{t("columns.duration")}</Th>
              <Th>
                <span className="sr-only">{t("columns.steps")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((v) => (
              <ValidationRow key={v.id} validation={v} />
            ))}
          </tbody>
        </Table>
      ) : null}
      {history.hasNextPage ? (
        <div className="mt-3">
          <Button size="sm" onClick={() => history.fetchNextPage()} disabled={history.isFetchingNextPage} aria-busy={history.isFetchingNextPage}>
            {t("older")}
          </Button>
        </div>
      ) : null}
    </Panel>
  );
}

function ValidationRow({ validation: v }: Readonly<{ validation: ValidationView }>) {
  const t = useTranslations("validation");
  const tAll = useTranslations();
  const format = useFormatter();
  const [open, setOpen] = useState(false);
  const when = format.dateTime(new Date(v.startedAt), "long");
  const detailsId = `validation-${v.id}-steps`;
  return (
    <Fragment>
      <tr data-testid={`validation-${v.id}`}>
        <Td className="whitespace-nowrap">
          <time dateTime={v.startedAt}>{when}</time>
        </Td>
        <Td>{t(`trigger.${v.trigger}`, { actor: v.actor })}</Td>
        <Td className="font-mono text-xs">{v.recipient ?? t("none")}</Td>
        <Td>
          <Badge tone={v.outcome === "passed" ? "success" : "danger"}>{t(v.outcome)}</Badge>
        </Td>
        <Td className="text-xs">
          {v.errorCode ? (
            <>
              <span className="whitespace-nowrap font-mono">{displayCode(v.errorCode)}</span> {tAll(`codes.${codeKey(v.errorCode)}`)}
            </>
          ) : (
            t("none")
          )}
        </Td>
        <Td className="whitespace-nowrap tabular-nums">{duration(t, v.durationMs)}</Td>
        <Td className="text-right">
          <Button size="sm" variant="ghost" className="whitespace-nowrap" aria-expanded={open} aria-controls={detailsId} aria-label={t(open ? "hideStepsOf" : "showStepsOf", { time: when })} onClick={() => setOpen(!open)}>
            {t(open ? "hideSteps" : "showSteps")}
          </Button>
        </Td>
      </tr>
      <tr id={detailsId} hidden={!open}>
        {open ? (
          <td colSpan={7} className="bg-slate-50/60 px-3 py-3">
            <div className="space-y-4">
              <OutcomeLine validation={v} />
              <StepsByTarget groups={groupsOf(v.targets)} />
              <CertificateList certificates={v.targets.flatMap((target) => (target.certificate ? [target.certificate] : []))} />
            </div>
          </td>
        ) : null}
      </tr>
    </Fragment>
  );
}
