import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

// Labelled form controls: every control has a visible label tied to it by id.
const CONTROL = "block w-full rounded-md border-0 bg-white py-1.5 pl-2.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-blue-600";

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { id: string; label: string; children: ReactNode };

export function SelectField({ id, label, children, className = "", ...rest }: Readonly<SelectProps>) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={id} className={`${CONTROL} pr-8`} {...rest}>
        {children}
      </select>
    </div>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & { id: string; label: string };

export function InputField({ id, label, className = "", ...rest }: Readonly<InputProps>) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input id={id} className={`${CONTROL} pr-2.5`} {...rest} />
    </div>
  );
}
