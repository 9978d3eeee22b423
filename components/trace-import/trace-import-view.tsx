"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useRef, type FormEvent } from "react";
import { useTraceImport } from "@/components/trace-import/trace-import-queries";
import { Button, buttonClass } from "@/components/ui/button";
import { CommandBlock } from "@/components/ui/command-block";
import { Panel } from "@/components/ui/panel";
import { TRACE_COMMANDS } from "@/lib/sources/exchange-trace/commands";
import type { TraceImportSummary } from "@/lib/sources/exchange-trace/schemas";
import { SKIP_REASON_KEYS } from "@/lib/sources/exchange-trace/skip-reasons";

/** Settings → Message trace: which files are read, the upload, the run's summary. */
export function TraceImportView() {
  const t = useTranslations("traceImport");
  const upload = useTraceImport();
  const form = useRef<HTMLFormElement>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    upload.mutate(new FormData(event.currentTarget));
  }

  function startOver() {
    upload.reset();
    form.current?.reset();
  }

  return (
    <div className="space-y-6">
      <Panel title={t("filesTitle")} id="trace-files" description={t("filesIntro")}>
        <ul className="mb-4 list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>{t("fileV2")}</li>
          <li>{t("fileDetail")}</li>
          <li>{t("fileReport")}</li>
          <li>{t("fileMsgtrk")}</li>
        </ul>
        <CommandBlock lines={TRACE_COMMANDS} label={t("commandsLabel")} copyLabel={t("copy")} copiedLabel={t("copied")} testId="trace-commands" />
        <p className="mt-3 text-sm text-slate-600">{t("cliHint")}</p>
      </Panel>

      <Panel title={t("uploadTitle")} id="trace-upload">
        <form ref={form} onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor="trace-file" className="mb-1 block text-xs font-medium text-slate-700">{t("fileLabel")}</label>
            <input
              id="trace-file"
              name="file"
              type="file"
              required
              accept=".csv,.log,text/csv,text/plain"
              className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-200"
            />
          </div>
          <Button type="submit" variant="primary" disabled={upload.isPending}>{upload.isPending ? t("importing") : t("import")}</Button>
        </form>
        {upload.error ? (
          <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
            <p className="font-medium">{t("refusedTitle")}</p>
            <p className="mt-1 break-words">{upload.error.message}</p>
          </div>
        ) : null}
        {upload.data ? <Summary summary={upload.data} onStartOver={startOver} /> : null}
      </Panel>
    </div>
  );
}

function Summary({ summary, onStartOver }: Readonly<{ summary: TraceImportSummary; onStartOver: () => void }>) {
  const t = useTranslations("traceImport");
  const format = useFormatter();
  const skipped = SKIP_REASON_KEYS.filter((key) => (summary.skipped[key] ?? 0) > 0);
  const skippedTotal = skipped.reduce((sum, key) => sum + (summary.skipped[key] ?? 0), 0);
  const figures = [
    [t("rowsRead"), summary.rowsRead],
    [t("eventsMade"), summary.eventsMade],
    [t("duplicates"), summary.duplicates],
    [t("skippedTotal"), skippedTotal],
  ] as const;
  return (
    <div role="status" data-testid="trace-summary" className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950">
      <p className="font-medium break-words">{t("summaryTitle", { file: summary.file })}</p>
      <p className="mt-1 text-emerald-900">{t(`format.${summary.format}`)}</p>
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-emerald-800">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{format.number(value, "integer")}</dd>
          </div>
        ))}
      </dl>
      {summary.lastLineAt ? <p className="mt-2">{t("latestRow")}: {format.dateTime(new Date(summary.lastLineAt), "long")}</p> : null}
      {skipped.length > 0 ? (
        <div className="mt-3">
          <p className="font-medium">{t("skippedTitle")}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {skipped.map((key) => <li key={key}>{format.number(summary.skipped[key] ?? 0, "integer")} × {t(`skipped.${key}`)}</li>)}
          </ul>
        </div>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <Link href="/" className={buttonClass("secondary", "sm")}>{t("seeAlerts")}</Link>
        <Button size="sm" variant="ghost" onClick={onStartOver}>{t("importAnother")}</Button>
      </div>
    </div>
  );
}
