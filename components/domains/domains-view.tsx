"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/alerts/confirm-dialog";
import { DomainsTable } from "@/components/domains/domains-table";
import { useDomainList } from "@/components/domains/domain-queries";
import { DomainForm } from "@/components/organisation/domain-form";
import { ListToolbar, useListStatus } from "@/components/organisation/list-toolbar";
import { useDeleteDomain } from "@/components/organisation/organisation-mutations";
import { Button } from "@/components/ui/button";
import type { DomainList, DomainView, RelayChoice } from "@/lib/domains/schemas";

type Props = { initial: { data: DomainList; at: number }; relays: readonly RelayChoice[]; canManage: boolean };

/** The accepted domains; admins add them, change their type and relaying connector, and remove them. */
export function DomainsView({ initial, relays, canManage }: Readonly<Props>) {
  const t = useTranslations();
  const ta = useTranslations("organisation.domainActions");
  const list = useDomainList(initial);
  const remove = useDeleteDomain();
  const [editing, setEditing] = useState<DomainView | "new" | null>(null);
  const [removing, setRemoving] = useState<DomainView | null>(null);
  const { status, announce } = useListStatus();
  const addButton = canManage ? <Button id={ADD_BUTTON_ID} variant="primary" onClick={() => setEditing("new")}>{t("organisation.domainForm.addTitle")}</Button> : null;

  return (
    <>
      <ListToolbar list={list} status={status} action={list.data.items.length > 0 ? addButton : null} />
      <DomainsTable
        domains={list.data.items}
        emptyAction={addButton}
        actions={canManage ? (d) => (
          <div className="flex gap-2">
            <Button id={editButtonId(d.id)} size="sm" onClick={() => setEditing(d)} aria-label={ta("editNamed", { name: d.name })}>{ta("edit")}</Button>
            <Button size="sm" variant="ghost" className="text-red-800" onClick={() => setRemoving(d)} aria-label={ta("removeNamed", { name: d.name })}>{ta("remove")}</Button>
          </div>
        ) : undefined}
      />
      {canManage ? (
        <>
          <DomainForm
            open={editing !== null}
            domain={editing === "new" ? null : editing}
            relays={relays}
            onClose={() => setEditing(null)}
            onSaved={(saved) => {
              setEditing(null);
              announce(t(`organisation.domainForm.${editing === "new" ? "added" : "saved"}`, { name: saved.name }), editing === "new" ? editButtonId(saved.id) : undefined);
            }}
          />
          <ConfirmDialog
            open={removing !== null}
            title={ta("removeTitle", { name: removing?.name ?? "" })}
            confirmLabel={ta("removeConfirm")}
            pendingLabel={ta("removePending")}
            cancelLabel={t("organisation.cancel")}
            pending={remove.isPending}
            confirmVariant="danger"
            error={remove.error?.message}
            onConfirm={() => removing && remove.mutate(removing.id, {
              onSuccess: ({ deleted }) => {
                setRemoving(null);
                announce(ta("removed", { name: deleted.name }), ADD_BUTTON_ID);
              },
            })}
            onClose={() => { remove.reset(); setRemoving(null); }}
            testId="domain-remove-dialog"
          >
            <p>{ta("removeBody")}</p>
          </ConfirmDialog>
        </>
      ) : null}
    </>
  );
}

const ADD_BUTTON_ID = "add-domain";
const editButtonId = (id: number) => `domain-${id}-edit`;
