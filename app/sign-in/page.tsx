/** /sign-in: email and password; a signed-in visitor goes straight on */
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/auth/page-user";
import { safeNextPath } from "@/lib/auth/request-guards";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("signInTitle") };
}

export default async function SignInPage({ searchParams }: Readonly<{ searchParams: SearchParams }>) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : null);
  if (await currentUser()) redirect(next);
  const t = await getTranslations("auth");
  return (
    <div className="mx-auto mt-10 max-w-sm rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-xl font-semibold text-slate-900">{t("signInTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("signInIntro")}</p>
      <SignInForm next={next} />
    </div>
  );
}
