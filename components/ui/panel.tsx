import type { ReactNode } from "react";

type Props = {
  title: string;
  /** Id of the heading, so the section can be named by it. */
  id: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
};

/** A titled white card: the building block of every page. */
export function Panel({ title, id, description, actions, children, className = "" }: Readonly<Props>) {
  return (
    <section aria-labelledby={id} className={`rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${className}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 id={id} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
        </div>
        {actions}
      </div>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}
