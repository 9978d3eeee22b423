"use client";

import { useEffect, useRef, useState } from "react";

type Props = {
  /** One command per line, shown and copied as they are. */
  lines: readonly string[];
  /** What the block holds, for screen readers ("Exchange Online PowerShell"). */
  label: string;
  copyLabel: string;
  copiedLabel: string;
  testId?: string;
};

/** Commands for the admin to run elsewhere, with a copy button; long lines wrap (no scroll region to reach by keyboard) and copy as they are. */
export function CommandBlock({ lines, label, copyLabel, copiedLabel, testId }: Readonly<Props>) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const text = lines.join("\n");
  const copy = async () => {
    await copyText(text);
    setCopied(true);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), 2000);
  };
  return (
    <figure className="rounded-md border border-slate-300 bg-slate-900" data-testid={testId}>
      <figcaption className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5">
        <span className="text-xs font-medium text-slate-300">{label}</span>
        <button type="button" className={COPY_BUTTON} onClick={() => void copy()}>
          {copyLabel}
        </button>
      </figcaption>
      <pre className="whitespace-pre-wrap break-words px-3 py-2 font-mono text-xs leading-relaxed text-slate-100">
        <code>{text}</code>
      </pre>
      <p role="status" className="sr-only">
        {copied ? copiedLabel : ""}
      </p>
      {copied ? (
        <p aria-hidden="true" className="px-3 pb-2 text-xs text-emerald-300">
          {copiedLabel}
        </p>
      ) : null}
    </figure>
  );
}

// Light on the dark block: the shared button variants are made for light backgrounds.
const COPY_BUTTON =
  "rounded-md px-2.5 py-1 text-xs font-medium text-slate-100 ring-1 ring-inset ring-slate-500 hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-400";

/** The clipboard API where the page may use it (HTTPS, localhost); else the older copy command. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused: fall through to the older way.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}
