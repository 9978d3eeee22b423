import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { ActivityLog } from "@/components/alerts/activity-log";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import type { DomainView } from "@/lib/domains/schemas";

const CHANGES_SHOWN = 3;

type Props = {
  domains: readonly DomainView[];
  /** An admin's controls for one domain, in a column of their own. */
  actions?: (domain: DomainView) => ReactNode;
  /** Shown in the empty state (an admin's Add button). */
  emptyAction?: ReactNode;
};

/** Accepted domains with their type, the connector that relays them and their latest changes. */
export function DomainsTable({ domains, actions, emptyAction }: Readonly<Props>) {
  const t = useTranslations();
  if (domains.length === 0) return <EmptyState title={t("domains.empty")} action={emptyAction} />;
  return (
    <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <Table caption={t("domains.caption")}>
        <thead className="bg-slate-50">
          <tr>
            <Th>{t("domains.name")}</Th>
            <Th>{t("domains.type")}</Th>
            <Th>{t("domains.connector")}</Th>
            <Th>{t("domains.changes")}</Th>
            {actions ? <Th><span className="sr-only">{t("organisation.domainActions.column")}</span></Th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {domains.map((d) => (
            <tr key={d.id}>
              <Td className="font-mono text-sm font-medium text-slate-900">{d.name}</Td>
              <Td className="max-w-xs">
                <Badge tone={d.type === "INTERNAL_RELAY" ? "warning" : d.type === "AUTHORITATIVE" ? "info" : "neutral"}>{t(`domainType.${d.type}`)}</Badge>
                <p className="mt-1 text-xs text-slate-600">{t(`domains.typeHelp.${d.type}`)}</p>
              </Td>
              <Td>
                {d.connector ? (
                  <>
                    <Link href={`/connectors/${d.connector.id}`} className="text-blue-800 hover:underline">
                      {d.connector.name}
                    </Link>
                    <p className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-600">
                      {t(`connectorKind.${d.connector.kind}`)}
                      {d.connector.retiredAt ? <Badge tone="muted">{t("organisation.retired")}</Badge> : d.connector.enabled ? null : <Badge tone="muted">{t("common.disabled")}</Badge>}
                    </p>
                  </>
                ) : (
                  <span className="text-slate-600">{t("domains.noConnector")}</span>
                )}
              </Td>
              <Td className="min-w-64">
                <ActivityLog entries={d.changes.slice(0, CHANGES_SHOWN)} empty={t("domains.noChanges")} nameDomains={false} />
              </Td>
              {actions ? <Td className="whitespace-nowrap">{actions(d)}</Td> : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
