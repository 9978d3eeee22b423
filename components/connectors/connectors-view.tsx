"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useConnectorList } from "@/components/connectors/connector-queries";
import { HealthBadge } from "@/components/connectors/health-badge";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, Notice } from "@/components/ui/states";
import { UpdatedLabel } from "@/components/ui/updated-label";
import type { ConnectorList, ConnectorView } from "@/lib/connectors/schemas";

/** Every outbound connector as a card: health, state, routing, TLS and domains. */
export function ConnectorsView({ initial }: Readonly<{ initial: { data: ConnectorList; at: number } }>) {
  const t = useTranslations();
  const list = useConnectorList(initial);
  return (
    <>
      <div className="mb-3 space-y-2">
        <UpdatedLabel updatedAt={list.dataUpdatedAt} fetching={list.isFetching} />
        {list.isError ? <Notice>{t("common.refreshFailedShort", { message: list.error.message })}</Notice> : null}
      </div>
      {list.data.items.length === 0 ? (
        <EmptyState title={t("connectors.empty")} />
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {list.data.items.map((c) => (
            <li key={c.id}>
              <ConnectorCard connector={c} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ConnectorCard({ connector: c }: Readonly<{ connector: ConnectorView }>) {
  const t = useTranslations();
  const format = useFormatter();
  const headingId = `connector-${c.id}`;
  return (
    <article aria-labelledby={headingId} className="h-full rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            <Link href={`/connectors/${c.id}`} className="hover:underline">
              {c.name}
            </Link>
          </h2>
          <p className="text-sm text-slate-600">{t(`connectorKind.${c.kind}`)}</p>
          {c.comment ? <p className="mt-1 text-sm text-slate-600">{c.comment}</p> : null}
        </div>
        <Badge tone={c.enabled ? "info" : "muted"}>{c.enabled ? t("common.enabled") : t("common.disabled")}</Badge>
      </div>
      <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-medium text-slate-600">{t("connectors.health")}</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <HealthBadge connector={c} />
          {c.queued > 0 ? <span className="text-amber-800">{t("connectors.queued", { count: c.queued })}</span> : null}
        </dd>
        <dt className="font-medium text-slate-600">{c.useMxRecord ? t("connectors.routing") : t("connectors.smartHosts")}</dt>
        <dd className="font-mono text-xs leading-5">{c.useMxRecord ? <span className="font-sans text-sm">{t("connectors.mxRouting")}</span> : c.smartHosts.join(", ") || "—"}</dd>
        <dt className="font-medium text-slate-600">{t("connectors.tls")}</dt>
        <dd>
          {t(`tlsMode.${c.tlsMode}`)}
          {c.tlsDomain ? <span className="ml-1 text-slate-600">({t("connectors.tlsDomain", { domain: c.tlsDomain })})</span> : null}
        </dd>
        <dt className="font-medium text-slate-600">{t("connectors.recipientDomains")}</dt>
        <dd className="font-mono text-xs leading-5">{format.list(c.recipientDomains) || "—"}</dd>
        <dt className="font-medium text-slate-600">{t("connectors.domains")}</dt>
        <dd>
          {c.domains.length === 0 ? (
            t("common.none")
          ) : (
            <ul className="space-y-1">
              {c.domains.map((d) => (
                <li key={d.id} className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-xs">{d.name}</span>
                  <Badge tone={d.type === "INTERNAL_RELAY" ? "warning" : "neutral"}>{t(`domainType.${d.type}`)}</Badge>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <div className="mt-4">
        <Link href={`/connectors/${c.id}`} className={buttonClass("secondary", "sm")} aria-label={t("connectors.viewHistory", { name: c.name })}>
          {t("connectors.history")}
        </Link>
      </div>
    </article>
  );
}
