import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { displayCode } from "@/lib/alerts/codes";
import type { ConnectorView } from "@/lib/connectors/schemas";

/** Healthy, or failing with the codes of the connector's open alerts, each linking to the alert. */
export function HealthBadge({ connector }: Readonly<{ connector: Pick<ConnectorView, "health" | "openAlerts"> }>) {
  const t = useTranslations("connectors");
  if (connector.health === "healthy") return <Badge tone="success">{t("healthy")}</Badge>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone="danger">{t("failing")}</Badge>
      {connector.openAlerts.map((a) => (
        <Link key={a.id} href={`/alerts/${a.id}`} className="font-mono text-xs text-red-800 underline-offset-2 hover:underline">
          {displayCode(a.errorCode)}
        </Link>
      ))}
    </span>
  );
}
