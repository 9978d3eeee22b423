import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { connection } from "next/server";
import { TraceStoryView } from "@/components/trace/trace-story";
import { requirePageUser } from "@/lib/auth/page-user";
import { db } from "@/lib/db/client";
import { readForPage } from "@/lib/db/reader";
import { AppError } from "@/lib/http/errors";
import { traceIdParamSchema } from "@/lib/trace/schemas";
import { openTraceStory } from "@/lib/trace/service";

type Params = Promise<{ id: string }>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("trace.story");
  return { title: t("title") };
}

// No Suspense around the read: an unknown id must answer 404 before anything streams.
export default async function TraceStoryPage({ params }: Readonly<{ params: Params }>) {
  const user = await requirePageUser();
  await connection();
  const parsed = traceIdParamSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const story = await openTraceStory(readForPage, db(), user, parsed.data.id).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  });
  if (!story) notFound();
  return <TraceStoryView story={story} />;
}
