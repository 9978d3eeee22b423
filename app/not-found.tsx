import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <EmptyState
      title={t("notFoundTitle")}
      body={t("notFoundBody")}
      action={
        <Link href="/" className={buttonClass("secondary")}>
          {t("backToAlerts")}
        </Link>
      }
    />
  );
}
