"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { issuesByField } from "@/components/organisation/form-values";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/http/api-client";

// What the connector and domain forms share: the server's issues at their inputs (with focus
// on the first one named), the form-level error, and the buttons.

/**
 * The last refusal's issues by input (inputs have the id `${idPrefix}-${field}`); after each
 * refusal, focus goes to the first input it names. Put the ref it returns on the form.
 */
export function useFieldIssues<F extends string>(error: Error | null, fields: readonly F[], idPrefix: string, aliases: Readonly<Record<string, F>> = {}) {
  const formRef = useRef<HTMLFormElement>(null);
  const issues = error instanceof ApiError ? issuesByField(error.issues, fields, aliases) : { byField: {} as Partial<Record<F, string>>, other: [] };
  const firstInvalid = fields.find((f) => issues.byField[f]);
  useEffect(() => {
    if (firstInvalid) formRef.current?.querySelector<HTMLElement>(`#${idPrefix}-${firstInvalid}`)?.focus();
  }, [error, firstInvalid, idPrefix]);
  return [issues, formRef] as const;
}

/**
 * Why a form was not saved: "check the marked fields" when the server named fields the form
 * shows at their inputs, otherwise its message; issues of no input are listed here.
 */
export function FormErrors({ error, other }: Readonly<{ error: Error | null; other: readonly string[] }>) {
  const t = useTranslations("organisation");
  if (!error) return null;
  const atFields = error instanceof ApiError && error.issues.length > other.length;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      <p>{atFields ? t("checkFields") : error.message}</p>
      {other.map((line) => <p key={line}>{line}</p>)}
    </div>
  );
}

export function FormButtons({ pending, submitLabel, onCancel }: Readonly<{ pending: boolean; submitLabel: string; onCancel: () => void }>) {
  const t = useTranslations("organisation");
  return (
    <div className="flex flex-wrap justify-end gap-2 pt-2">
      <Button onClick={onCancel} disabled={pending}>{t("cancel")}</Button>
      <Button type="submit" variant="primary" disabled={pending} aria-busy={pending}>
        {pending ? t("saving") : submitLabel}
      </Button>
    </div>
  );
}
