import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

// Designed loading, empty and error states: never a blank area.

export function EmptyState({ title, body, action }: Readonly<{ title: string; body?: ReactNode; action?: ReactNode }>) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-8 w-8 text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path d="M4 13h4l2 3h4l2-3h4M4 13l2.5-7h11L20 13v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-5Z" strokeLinejoin="round" />
      </svg>
      <p className="font-medium text-slate-900">{title}</p>
      {body ? <p className="max-w-md text-sm text-slate-600">{body}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}

type ErrorProps = { title: string; message: string; retryLabel?: string; onRetry?: () => void };

export function ErrorState({ title, message, retryLabel, onRetry }: Readonly<ErrorProps>) {
  return (
    <div role="alert" className="flex flex-col items-start gap-2 rounded-lg border border-red-200 bg-red-50 px-5 py-4">
      <p className="font-medium text-red-900">{title}</p>
      <p className="text-sm text-red-800">{message}</p>
      {onRetry && retryLabel ? (
        <Button size="sm" onClick={onRetry}>
          {retryLabel}
        </Button>
      ) : null}
    </div>
  );
}

export function Notice({ children, tone = "warning" }: Readonly<{ children: ReactNode; tone?: "warning" | "info" }>) {
  const colours = tone === "warning" ? "border-amber-300 bg-amber-50 text-amber-900" : "border-blue-200 bg-blue-50 text-blue-900";
  return <p className={`rounded-md border px-4 py-2 text-sm ${colours}`}>{children}</p>;
}

export function SkeletonRows({ rows = 5, label }: Readonly<{ rows?: number; label: string }>) {
  return (
    <div role="status" aria-label={label} className="space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-9 animate-pulse rounded bg-slate-100" />
      ))}
    </div>
  );
}
