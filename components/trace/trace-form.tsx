"use client";

import { useRouter } from "next/navigation";
import { useTimeZone, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { DEFAULT_TIME_ZONE } from "@/lib/i18n/locale";
import { fromZonedInput, toZonedInput } from "@/lib/i18n/zoned-time";
import { TRACE_STATES } from "@/lib/trace/schemas";
import { traceSearchString, type TraceParam } from "@/lib/trace/search";

type Props = {
  given: Partial<Record<TraceParam, string>>;
  connectors: readonly { id: number; name: string }[];
  /** Per field, the refusal in the page's language. */
  errors: Partial<Record<TraceParam, string>>;
  /** The longest range a search covers (the events' retention). */
  rangeDays: number;
};

type Values = Record<TraceParam, string>;

/**
 * The search form. Submitting puts the search in the URL (so a reload or a shared link shows the
 * same results) and the server page answers it; times are typed on the clock of the time zone the
 * dashboard shows and travel in the URL as UTC.
 */
export function TraceForm({ given, connectors, errors, rangeDays }: Readonly<Props>) {
  const t = useTranslations("trace");
  const router = useRouter();
  const timeZone = useTimeZone() ?? DEFAULT_TIME_ZONE;
  const [values, setValues] = useState<Values>(() => initialValues(given, timeZone));
  const set = (key: TraceParam) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Partial<Values> = { ...values };
    for (const key of ["from", "to"] as const) {
      // A time that does not parse goes as typed, so the server refuses it by name.
      if (values[key]) next[key] = fromZonedInput(values[key], timeZone)?.toISOString() ?? values[key];
    }
    router.push(`/trace${traceSearchString(next)}`);
  };

  const field = (key: TraceParam) => ({ id: `trace-${key}`, name: key, value: values[key], onChange: set(key), error: errors[key] });

  return (
    <form role="search" aria-label={t("formLabel")} onSubmit={submit} className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <InputField {...field("messageId")} label={t("messageId")} placeholder={t("messageIdPlaceholder")} maxLength={1000} />
        <InputField {...field("sender")} label={t("sender")} placeholder={t("senderPlaceholder")} />
        <InputField {...field("recipient")} label={t("recipient")} placeholder={t("recipientPlaceholder")} />
        <InputField {...field("code")} label={t("code")} placeholder={t("codePlaceholder")} />
        <SelectField {...field("status")} label={t("state")}>
          <option value="">{t("allStates")}</option>
          {TRACE_STATES.map((s) => (
            <option key={s} value={s}>{t(`states.${s}`)}</option>
          ))}
        </SelectField>
        <SelectField {...field("connector")} label={t("connector")}>
          <option value="">{t("allConnectors")}</option>
          {connectors.map((c) => (
            <option key={c.id} value={String(c.id)}>{c.name}</option>
          ))}
        </SelectField>
        <InputField {...field("from")} type="datetime-local" label={t("from")} hint={t("rangeHint", { days: rangeDays })} />
        <InputField {...field("to")} type="datetime-local" label={t("to")} />
      </div>
      <p className="mt-3 text-xs text-slate-600">{t("termsHint")}</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button type="submit" variant="primary">{t("search")}</Button>
        <Button onClick={() => { setValues(initialValues({}, timeZone)); router.push("/trace"); }}>{t("clear")}</Button>
      </div>
    </form>
  );
}

function initialValues(given: Partial<Record<TraceParam, string>>, timeZone: string): Values {
  const time = (text: string | undefined) => {
    const date = text ? new Date(text) : null;
    return date && !Number.isNaN(date.getTime()) ? toZonedInput(date, timeZone) : (text ?? "");
  };
  return {
    messageId: given.messageId ?? "",
    sender: given.sender ?? "",
    recipient: given.recipient ?? "",
    status: given.status ?? "",
    connector: given.connector ?? "",
    code: given.code ?? "",
    from: time(given.from),
    to: time(given.to),
  };
}
