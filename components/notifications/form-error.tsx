"use client";

import { useTranslations } from "next-intl";
import { ApiError } from "@/lib/http/api-client";

/** A refused save: the fields name their own issues, so the form only says where to look. */
export function FormError({ error }: Readonly<{ error: Error | null }>) {
  const t = useTranslations("notifySettings");
  if (!error) return null;
  const atFields = error instanceof ApiError && error.issues.length > 0;
  return <p role="alert" className="text-sm text-red-800">{atFields ? t("checkFields") : error.message}</p>;
}

/** The server's message for one field of a refused save. */
export function fieldIssue(error: Error | null, field: string): string | undefined {
  return error instanceof ApiError ? error.issues.find((i) => i.field === field)?.message : undefined;
}
