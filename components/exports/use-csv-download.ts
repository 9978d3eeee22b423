"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { filenameFromDisposition } from "@/lib/export/csv";

// Downloads an export with fetch rather than plain navigation, so a refusal (too many exports at
// once, a role that may not read it, a bad filter) is shown on the page in its language instead
// of a saved error file, and the download shows its progress and can be cancelled (which frees
// the server's export slot at once).

export type DownloadState =
  | { kind: "idle" }
  | { kind: "running"; bytes: number }
  | { kind: "done"; bytes: number }
  | { kind: "cancelled" }
  | { kind: "failed"; reason: FailureReason; detail: string };

export type FailureReason = "rateLimited" | "forbidden" | "unauthorized" | "invalid" | "notFound" | "network" | "interrupted" | "other";

export function useCsvDownload() {
  const [state, setState] = useState<DownloadState>({ kind: "idle" });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(async (href: string) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: "running", bytes: 0 });
    const outcome = await download(href, abort.signal, (bytes) => setState({ kind: "running", bytes }));
    if (controller.current === abort) controller.current = null;
    setState(abort.signal.aborted ? { kind: "cancelled" } : outcome);
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, start, cancel };
}

async function download(href: string, signal: AbortSignal, onProgress: (bytes: number) => void): Promise<DownloadState> {
  let res: Response;
  try {
    res = await fetch(href, { signal, headers: { accept: "text/csv, application/problem+json" } });
  } catch {
    return { kind: "failed", reason: "network", detail: "" };
  }
  if (!res.ok || !res.body) return refusal(res);
  const parts: BlobPart[] = [];
  let bytes = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.byteLength;
      onProgress(bytes);
    }
  } catch {
    return { kind: "failed", reason: "interrupted", detail: "" };
  }
  save(new Blob(parts, { type: "text/csv;charset=utf-8" }), filenameFromDisposition(res.headers.get("content-disposition")) ?? "export.csv");
  return { kind: "done", bytes };
}

async function refusal(res: Response): Promise<DownloadState> {
  const body = (await res.json().catch(() => null)) as { detail?: unknown } | null;
  const detail = typeof body?.detail === "string" ? body.detail : `HTTP ${res.status}`;
  return { kind: "failed", reason: REASONS[res.status] ?? "other", detail };
}

const REASONS: Record<number, FailureReason> = { 400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "notFound", 429: "rateLimited" };

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has handed the blob to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
