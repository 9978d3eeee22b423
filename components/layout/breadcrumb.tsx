import Link from "next/link";

type Props = { label: string; parent: { href: string; label: string }; current: string };

/** "Parent › current page" above a detail page's title. */
export function Breadcrumb({ label, parent, current }: Readonly<Props>) {
  return (
    <nav aria-label={label} className="text-sm text-slate-600">
      <ol className="flex gap-2">
        <li>
          <Link href={parent.href} className="text-blue-800 hover:underline">
            {parent.label}
          </Link>
        </li>
        <li aria-hidden="true">›</li>
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
