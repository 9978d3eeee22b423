import type { ReactNode } from "react";

type Props = { title: ReactNode; intro?: ReactNode; actions?: ReactNode; eyebrow?: ReactNode };

export function PageHeader({ title, intro, actions, eyebrow }: Readonly<Props>) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {eyebrow}
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {intro ? <p className="mt-1 max-w-3xl text-sm text-slate-600">{intro}</p> : null}
      </div>
      {actions}
    </div>
  );
}
