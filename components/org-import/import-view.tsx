"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useRef, useState, type FormEvent } from "react";
import { ImportPreviewView } from "@/components/org-import/import-preview";
import { useApplyImport, usePreviewImport } from "@/components/org-import/import-queries";
import { Button, buttonClass } from "@/components/ui/button";
import { CommandBlock } from "@/components/ui/command-block";
import { Panel } from "@/components/ui/panel";
import type { ApiError } from "@/lib/http/api-client";
import { EXCHANGE_COMMANDS } from "@/lib/organisation/exchange/commands";
import type { ApplyResult, Resolution } from "@/lib/organisation/import-schemas";

/** Settings → Import: the commands to run, the upload, the preview with its choices, the apply. */
export function ImportView() {
  const t = useTranslations("orgImport");
  const preview = usePreviewImport();
  const apply = useApplyImport();
  const [choices, setChoices] = useState<Record<string, Resolution>>({});
  const form = useRef<HTMLFormElement>(null);
  const shown = preview.data;
  const unresolved = shown ? shown.conflicts.filter((c) => !choices[c.remediationId]).length : 0;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    apply.reset();
    setChoices({});
    preview.mutate(new FormData(event.currentTarget));
  }

  function startOver() {
    preview.reset();
    apply.reset();
    setChoices({});
    form.current?.reset();
  }

  return (
    <div className="space-y-6">
      <Panel title={t("commandsTitle")} id="import-commands" description={t("commandsIntro")}>
        <CommandBlock lines={EXCHANGE_COMMANDS} label={t("commandsLabel")} copyLabel={t("copy")} copiedLabel={t("copied")} testId="exchange-commands" />
        <p className="mt-3 text-sm text-slate-600">{t("cliHint")}</p>
      </Panel>

      <Panel title={t("uploadTitle")} id="import-upload">
        <form ref={form} onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor="import-files" className="mb-1 block text-xs font-medium text-slate-700">{t("filesLabel")}</label>
            <input
              id="import-files"
              name="files"
              type="file"
              multiple
              required
              accept=".json,application/json,text/plain"
              className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-200"
            />
          </div>
          <Button type="submit" variant="primary" disabled={preview.isPending}>{preview.isPending ? t("previewing") : t("preview")}</Button>
        </form>
        {preview.error ? <Problem error={preview.error} /> : null}
      </Panel>

      {shown ? (
        <Panel title={t("previewTitle")} id="import-preview" description={t("previewOf", { files: shown.files.join(", ") })}>
          <ImportPreviewView preview={shown} choices={choices} onChoose={(id, choice) => setChoices((current) => ({ ...current, [id]: choice }))} />
          <div className="mt-6 border-t border-slate-100 pt-4">
            {apply.data ? (
              <Applied result={apply.data} onStartOver={startOver} />
            ) : (
              <div className="flex flex-wrap items-center gap-3">
                <Button variant="primary" disabled={apply.isPending || unresolved > 0} onClick={() => apply.mutate({ id: shown.id, resolutions: choices })}>
                  {apply.isPending ? t("applying") : t("apply")}
                </Button>
                {unresolved > 0 ? <p className="text-sm text-amber-800">{t("chooseFirst")}</p> : null}
              </div>
            )}
            {apply.error ? <Problem error={apply.error} /> : null}
          </div>
        </Panel>
      ) : null}
    </div>
  );
}

function Applied({ result, onStartOver }: Readonly<{ result: ApplyResult; onStartOver: () => void }>) {
  const t = useTranslations("orgImport");
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
      <p className="font-medium">{t("appliedTitle")}</p>
      <p className="mt-1">{t("applied", result.counts)}</p>
      {result.counts.confirmed + result.counts.undone + result.counts.kept > 0 ? <p className="mt-1">{t("appliedRemediations", result.counts)}</p> : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <Link href="/connectors" className={buttonClass("secondary", "sm")}>{t("seeConnectors")}</Link>
        <Link href="/domains" className={buttonClass("secondary", "sm")}>{t("seeDomains")}</Link>
        <Button size="sm" variant="ghost" onClick={onStartOver}>{t("startOver")}</Button>
      </div>
    </div>
  );
}

/** A refusal with every problem the server named (a file may have several). */
function Problem({ error }: Readonly<{ error: Error }>) {
  const issues = (error as Partial<ApiError>).issues ?? [];
  return (
    <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p>{error.message}</p>
      {issues.length > 1 ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5">
          {issues.map((issue, i) => <li key={i}>{issue.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}
