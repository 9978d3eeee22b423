"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCsvDownload, type DownloadState } from "@/components/exports/use-csv-download";
import { Button, buttonClass } from "@/components/ui/button";

/**
 * "Export CSV" for the view the page shows: `href` is the export endpoint with the page's current
 * filters. A plain link without JavaScript; with it, the download runs in the page (see
 * use-csv-download) and says in the page's language why it was refused.
 */
export function ExportLink({ href }: Readonly<{ href: string }>) {
  const t = useTranslations("exports");
  const { state, start, cancel } = useCsvDownload();
  const running = state.kind === "running";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <a
        href={href}
        download
        title={t("buttonHint")}
        aria-disabled={running}
        className={`${buttonClass("secondary", "sm")} ${running ? "pointer-events-none opacity-60" : ""}`}
        onClick={(e) => {
          e.preventDefault();
          if (!running) void start(href);
        }}
      >
        {t("button")}
      </a>
      {running ? (
        <Button size="sm" variant="ghost" onClick={cancel}>
          {t("cancel")}
        </Button>
      ) : null}
      <ExportStatus state={state} />
    </div>
  );
}

function ExportStatus({ state }: Readonly<{ state: DownloadState }>) {
  const t = useTranslations("exports");
  const format = useFormatter();
  const size = (bytes: number) => `${format.number(bytes / 1_048_576, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
  if (state.kind === "idle") return <span role="status" className="sr-only" />;
  if (state.kind === "failed") {
    return (
      <p role="alert" className="text-sm text-red-700">
        {t(`errors.${state.reason}`, { detail: state.detail })}
      </p>
    );
  }
  const text = state.kind === "running" ? t("exporting", { size: size(state.bytes) }) : state.kind === "done" ? t("done", { size: size(state.bytes) }) : t("cancelled");
  return (
    <span role="status" className="text-sm text-slate-600">
      {text}
    </span>
  );
}
