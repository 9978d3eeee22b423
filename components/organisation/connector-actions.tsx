"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/alerts/confirm-dialog";
import { useConnectorAction, type ConnectorAction } from "@/components/organisation/organisation-mutations";
import { Button } from "@/components/ui/button";
import type { ConnectorView } from "@/lib/connectors/schemas";

type Confirmed = "retire" | "delete";

type Props = {
  connector: ConnectorView;
  onEdit: () => void;
  /** After a change shows on the page: the page says what happened and moves focus where it belongs. */
  onDone: (kind: ConnectorAction["kind"]) => void;
};

/**
 * An admin's controls on one connector: edit, enable or disable, retire (asked first), and for
 * a connector without events delete (asked first). A retired one can only be restored or, without
 * events, deleted.
 */
export function ConnectorActions({ connector: c, onEdit, onDone }: Readonly<Props>) {
  const t = useTranslations("organisation.connectorActions");
  const tOrg = useTranslations("organisation");
  const action = useConnectorAction();
  const [confirming, setConfirming] = useState<Confirmed | null>(null);
  const run = (kind: ConnectorAction["kind"]) => {
    action.mutate(
      { kind, id: c.id },
      {
        onSuccess: () => {
          setConfirming(null);
          onDone(kind);
        },
      },
    );
  };
  const label = (key: string) => ({ "aria-label": t(`${key}Named`, { name: c.name }) });

  return (
    <div className="flex flex-wrap items-center gap-2">
      {c.retiredAt ? (
        <Button size="sm" disabled={action.isPending} onClick={() => run("restore")} {...label("restore")}>{t("restore")}</Button>
      ) : (
        <>
          <Button size="sm" onClick={onEdit} {...label("edit")}>{t("edit")}</Button>
          <Button size="sm" disabled={action.isPending} onClick={() => run(c.enabled ? "disable" : "enable")} {...label(c.enabled ? "disable" : "enable")}>
            {t(c.enabled ? "disable" : "enable")}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming("retire")} {...label("retire")}>{t("retire")}</Button>
        </>
      )}
      {c.hasEvents ? null : (
        <Button size="sm" variant="ghost" className="text-red-800" onClick={() => setConfirming("delete")} {...label("delete")}>{t("delete")}</Button>
      )}
      {action.error && !confirming ? <p role="alert" className="w-full text-sm text-red-800">{action.error.message}</p> : null}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? t(`${confirming}Title`, { name: c.name }) : ""}
        confirmLabel={confirming ? t(`${confirming}Confirm`) : ""}
        pendingLabel={confirming ? t(`${confirming}Pending`) : ""}
        cancelLabel={tOrg("cancel")}
        pending={action.isPending}
        confirmVariant="danger"
        error={confirming ? action.error?.message : null}
        onConfirm={() => confirming && run(confirming)}
        onClose={() => {
          action.reset();
          setConfirming(null);
        }}
        testId={`connector-${confirming ?? "confirm"}-dialog`}
      >
        {confirming ? <p>{t(`${confirming}Body`)}</p> : null}
      </ConfirmDialog>
    </div>
  );
}
