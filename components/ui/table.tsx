import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

// Table primitives with one look: captions for screen readers, sticky-free, horizontal scroll on narrow screens.
export function Table({ caption, children }: Readonly<{ caption: string; children: ReactNode }>) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ className = "", ...rest }: Readonly<ThHTMLAttributes<HTMLTableCellElement>>) {
  return <th scope="col" className={`whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 ${className}`} {...rest} />;
}

export function Td({ className = "", ...rest }: Readonly<TdHTMLAttributes<HTMLTableCellElement>>) {
  return <td className={`px-3 py-2.5 align-top text-slate-800 ${className}`} {...rest} />;
}
