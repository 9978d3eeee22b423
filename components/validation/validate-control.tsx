"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ValidateDialog } from "@/components/validation/validate-dialog";

type Connector = { id: number; name: string; demo: boolean; retiredAt: string | null };

/** Why a connector cannot be validated, or null: a demo connector never is, a retired one must be restored first. */
export function validationUnavailable(connector: Pick<Connector, "demo" | "retiredAt">): "demo" | "retired" | null {
  if (connector.demo) return "demo";
  return connector.retiredAt ? "retired" : null;
}

export const UNAVAILABLE_ID = "validation-unavailable";

/**
 * The "Validate connector" button (operators and admins). Where validation is not possible it is
 * shown disabled and described by the explanation the page shows (UNAVAILABLE_ID).
 */
export function ValidateControl({ connector }: Readonly<{ connector: Connector }>) {
  const t = useTranslations("validation");
  const [open, setOpen] = useState(false);
  const unavailable = validationUnavailable(connector);
  return (
    <>
      <Button variant="primary" disabled={unavailable !== null} aria-describedby={unavailable ? UNAVAILABLE_ID : undefined} onClick={() => setOpen(true)}>
        {t("validate")}
      </Button>
      {unavailable ? null : <ValidateDialog connector={connector} open={open} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The words for a disabled Validate button, in the page where everyone reads them. */
export function ValidationUnavailableNotice({ connector }: Readonly<{ connector: Pick<Connector, "demo" | "retiredAt"> }>) {
  const t = useTranslations("validation");
  const unavailable = validationUnavailable(connector);
  if (!unavailable) return null;
  return (
    <p id={UNAVAILABLE_ID} className="rounded-md border border-blue-200 bg-blue-50 px-4 py-2 text-sm text-blue-900">
      {t(unavailable === "demo" ? "demoExplanation" : "retiredExplanation")}
    </p>
  );
}
