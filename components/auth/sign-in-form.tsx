"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { ApiError, apiSend } from "@/lib/http/api-client";

/** Posts to better-auth's sign-in endpoint; the session cookie comes back httpOnly. */
export function SignInForm({ next }: Readonly<{ next: string }>) {
  const t = useTranslations("auth");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      // Nothing of the answer is read: the session cookie it sets is what counts.
      await apiSend("/api/auth/sign-in/email", z.unknown(), { method: "POST", body: { email: form.get("email"), password: form.get("password") } });
      // A full load, so every server component renders with the new session.
      window.location.assign(next);
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 0) setError(t("network"));
      else setError(error.status === 401 ? t("failed") : error.message);
    }
    setPending(false);
  }

  return (
    <form onSubmit={submit} className="mt-5 space-y-4" noValidate>
      <InputField id="email" name="email" type="email" label={t("email")} autoComplete="username" required />
      <InputField id="password" name="password" type="password" label={t("password")} autoComplete="current-password" required />
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending} className="w-full">
        {pending ? t("signingIn") : t("signIn")}
      </Button>
    </form>
  );
}
