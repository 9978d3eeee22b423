"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { useConnectorList } from "@/components/connectors/connector-queries";
import { HealthBadge } from "@/components/connectors/health-badge";
import { Badge } from "@/components/ui/badge";
import { ConnectorActions } from "@/components/organisation/connector-actions";
import { ConnectorForm } from "@/components/organisation/connector-form";
import { ListToolbar, useListStatus } from "@/components/organisation/list-toolbar";
import { Button, buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import type { ConnectorList, ConnectorView } from "@/lib/connectors/schemas";

type Props = { initial: { data: ConnectorList; at: number }; canManage: boolean };

/** Every outbound connector as a card: health, state, routing, TLS and domains; admins change them. */
export function ConnectorsView({ initial, canManage }: Readonly<Props>) {
  const t = useTranslations();
  const list = useConnectorList(initial);
  const [editing, setEditing] = useState<ConnectorView | "new" | null>(null);
  const { status, announce } = useListStatus();
  const addButton = canManage ? (
    <Button id={ADD_BUTTON_ID} variant="primary" onClick={() => setEditing("new")}>{t("organisation.connectorForm.addTitle")}</Button>
  ) : null;
  return (
    <>
      <ListToolbar list={list} status={status} action={list.data.items.length > 0 ? addButton : null} />
      {list.data.items.length === 0 ? (
        <EmptyState title={t("connectors.empty")} body={t("organisation.connectorsEmptyHelp")} action={addButton} />
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {list.data.items.map((c) => (
            <li key={c.id}>
              <ConnectorCard connector={c}>
                {canManage ? (
                  <ConnectorActions
                    connector={c}
                    onEdit={() => setEditing(c)}
                    onDone={(kind) => announce(t(`organisation.connectorActions.done.${kind}`, { name: c.name }), kind === "delete" ? ADD_BUTTON_ID : nameLinkId(c.id))}
                  />
                ) : null}
              </ConnectorCard>
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <ConnectorForm
          open={editing !== null}
          connector={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            // A new connector's card is focused; after an edit, focus goes back to its Edit button.
            announce(t(`organisation.connectorForm.${editing === "new" ? "added" : "saved"}`, { name: saved.name }), editing === "new" ? nameLinkId(saved.id) : undefined);
          }}
        />
      ) : null}
    </>
  );
}

const ADD_BUTTON_ID = "add-connector";
const nameLinkId = (id: number) => `connector-${id}-link`;

function ConnectorCard({ connector: c, children }: Readonly<{ connector: ConnectorView; children: ReactNode }>) {
  const t = useTranslations();
  const format = useFormatter();
  const headingId = `connector-${c.id}`;
  return (
    <article aria-labelledby={headingId} data-retired={c.retiredAt ? "true" : undefined} className={`h-full rounded-lg p-5 shadow-sm ring-1 ring-slate-200 ${c.retiredAt ? "bg-slate-50 text-slate-500" : "bg-white"}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className={`text-base font-semibold ${c.retiredAt ? "text-slate-600" : "text-slate-900"}`}>
            <Link id={nameLinkId(c.id)} href={`/connectors/${c.id}`} className="hover:underline">
              {c.name}
            </Link>
          </h2>
          <p className="text-sm text-slate-600">{t(`connectorKind.${c.kind}`)}</p>
          {c.comment ? <p className="mt-1 whitespace-pre-line text-sm text-slate-600">{c.comment}</p> : null}
          {c.retiredAt ? (
            <p className="mt-1 text-sm text-slate-600">
              {t("organisation.retiredOn", { date: format.dateTime(new Date(c.retiredAt), "short"), name: c.retiredBy ?? "" })}
            </p>
          ) : null}
        </div>
        {c.retiredAt ? <Badge tone="muted">{t("organisation.retired")}</Badge> : <Badge tone={c.enabled ? "info" : "muted"}>{c.enabled ? t("common.enabled") : t("common.disabled")}</Badge>}
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
      <div className="mt-4 flex flex-wrap items-start gap-2">
        <Link href={`/connectors/${c.id}`} className={buttonClass("secondary", "sm")} aria-label={t("connectors.viewHistory", { name: c.name })}>
          {t("connectors.history")}
        </Link>
        {children}
      </div>
    </article>
  );
}
