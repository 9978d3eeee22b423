"use client";

import { useId, type FormEvent, type ReactNode } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";

type Props = {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  pendingLabel: string;
  pending: boolean;
  confirmVariant?: ButtonVariant;
  /** Shown above the buttons when the last attempt failed. */
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
};

/**
 * A modal confirmation (components/ui/modal.tsx: focus stays inside, Escape closes it, focus goes
 * back to what opened it; when the action replaced that control, the caller moves focus to what
 * replaced it). While the action runs it cannot be closed, so nobody mistakes a pending change
 * for a cancelled one.
 */
export function ConfirmDialog(props: Readonly<Props>) {
  const { open, title, children, confirmLabel, cancelLabel, pendingLabel, pending, confirmVariant = "primary", error, onConfirm, onClose, testId } = props;
  const titleId = useId();
  const bodyId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onConfirm();
  };

  return (
    <Modal open={open} labelledBy={titleId} describedBy={bodyId} busy={pending} onClose={onClose} testId={testId}>
      <form onSubmit={submit} className="space-y-4 px-6 py-5">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={bodyId} className="space-y-3 text-sm text-slate-700">
          {children}
        </div>
        {error ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button onClick={onClose} disabled={pending} data-autofocus>
            {cancelLabel}
          </Button>
          <Button type="submit" variant={confirmVariant} disabled={pending} aria-busy={pending}>
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
