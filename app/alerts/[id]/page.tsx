import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { AlertDetailView } from "@/components/alerts/alert-detail-view";
import { getAlertDetail } from "@/lib/alerts/queries";
import { alertDetailQuerySchema, idParamSchema } from "@/lib/alerts/schemas";
import { readForPage } from "@/lib/db/reader";
import { AppError } from "@/lib/http/errors";
import { requirePageUser } from "@/lib/auth/page-user";

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: Readonly<{ params: Params }>): Promise<Metadata> {
  const t = await getTranslations("alert");
  const parsed = idParamSchema.safeParse(await params);
  return { title: parsed.success ? t("alertNumber", { id: parsed.data.id }) : t("loadError") };
}

// No Suspense around the read: an unknown id must answer 404 before anything streams.
export default async function AlertPage({ params }: Readonly<{ params: Params }>) {
  await requirePageUser();
  await connection();
  const parsed = idParamSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const initial = await readAlert(parsed.data.id);
  if (!initial) notFound();
  return <AlertDetailView id={parsed.data.id} initial={initial} />;
}

async function readAlert(id: number) {
  try {
    const data = await readForPage((reader) => getAlertDetail(reader, id, alertDetailQuerySchema.parse({})));
    return { data, at: Date.now() };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}
