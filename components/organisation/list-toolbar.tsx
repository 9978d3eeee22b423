"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, type ReactNode } from "react";
import { Notice } from "@/components/ui/states";
import { UpdatedLabel } from "@/components/ui/updated-label";

type Props = {
  list: { dataUpdatedAt: number; isFetching: boolean; error: Error | null };
  /** What the last change did, announced to screen readers. */
  status: string | null;
  /** The admin's Add button, when the list is not empty (the empty state shows it then). */
  action: ReactNode;
};

/** Above a polled list an admin manages: when it was updated, a failed refresh, the last change's outcome and Add. */
export function ListToolbar({ list, status, action }: Readonly<Props>) {
  const t = useTranslations("common");
  return (
    <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
      <div className="space-y-2">
        <UpdatedLabel updatedAt={list.dataUpdatedAt} fetching={list.isFetching} />
        {list.error ? <Notice>{t("refreshFailedShort", { message: list.error.message })}</Notice> : null}
        <p role="status" className="text-sm text-emerald-800">{status}</p>
      </div>
      {action}
    </div>
  );
}

/**
 * The outcome of the last change, for ListToolbar, and where focus goes after it: the control
 * that was used may be gone (a deleted row, a button replaced), so `announce` names the element
 * to focus, which is focused once the change has rendered and any dialog has closed (a parent's
 * effect runs after its children's).
 */
export function useListStatus() {
  const [state, setState] = useState<{ message: string; focusId?: string } | null>(null);
  useEffect(() => {
    if (state?.focusId) document.getElementById(state.focusId)?.focus();
  }, [state]);
  return { status: state?.message ?? null, announce: (message: string, focusId?: string) => setState({ message, focusId }) };
}
