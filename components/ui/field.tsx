import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

// Labelled form controls: every control has a visible label tied to it by id, and a hint or an
// error, when given, tied to it by aria-describedby (an error also sets aria-invalid).
const CONTROL = "block w-full rounded-md border-0 bg-white py-1.5 pl-2.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-blue-600 aria-[invalid=true]:ring-red-600";

type Described = { id: string; label: string; hint?: ReactNode; error?: string | null };

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & Described & { children: ReactNode };

export function SelectField({ id, label, hint, error, children, className = "", ...rest }: Readonly<SelectProps>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <select id={id} className={`${CONTROL} pr-8`} {...describedBy(id, hint, error)} {...rest}>
        {children}
      </select>
    </FieldFrame>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & Described;

export function InputField({ id, label, hint, error, className = "", ...rest }: Readonly<InputProps>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <input id={id} className={`${CONTROL} pr-2.5`} {...describedBy(id, hint, error)} {...rest} />
    </FieldFrame>
  );
}

type TextAreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & Described;

export function TextAreaField({ id, label, hint, error, className = "", ...rest }: Readonly<TextAreaProps>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <textarea id={id} className={`${CONTROL} pr-2.5`} {...describedBy(id, hint, error)} {...rest} />
    </FieldFrame>
  );
}

function FieldFrame({ id, label, hint, error, className, children }: Readonly<Described & { className: string; children: ReactNode }>) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint ? <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">{hint}</p> : null}
      {error ? <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-800">{error}</p> : null}
    </div>
  );
}

function describedBy(id: string, hint: ReactNode, error: string | null | undefined) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? { "aria-describedby": ids.join(" "), ...(error ? { "aria-invalid": true } : {}) } : {};
}
