"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { z } from "zod";
import { apiSend } from "@/lib/http/api-client";

/** Ends the session on the server, then loads the sign-in page (nothing of the session stays cached). */
export function SignOutButton() {
  const t = useTranslations("auth");
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    await apiSend("/api/auth/sign-out", z.unknown(), { method: "POST", body: {} }).catch(() => undefined);
    // A full load drops every page the client router cached while signed in.
    window.location.replace("/sign-in");
  }

  return (
    <button type="button" onClick={signOut} disabled={pending} className="rounded-md px-2.5 py-1 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
      {t("signOut")}
    </button>
  );
}
