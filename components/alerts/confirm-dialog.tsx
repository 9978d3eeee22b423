"use client";

import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";

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
 * A modal confirmation built on the native <dialog>: showModal() makes the rest of the page
 * inert (focus stays inside), Escape closes it, and focus goes back to what opened it (when the
 * action replaced that control, the caller moves focus to what replaced it). While the
 * action runs it cannot be closed, so nobody mistakes a pending change for a cancelled one.
 */
export function ConfirmDialog(props: Readonly<Props>) {
  const { open, title, children, confirmLabel, cancelLabel, pendingLabel, pending, confirmVariant = "primary", error, onConfirm, onClose, testId } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      if (opener.current?.isConnected) opener.current.focus();
    }
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onConfirm();
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={testId}
      onKeyDown={wrapFocus}
      onCancel={(event) => {
        // Escape: let React's state close the dialog, and never in the middle of the action.
        event.preventDefault();
        if (!pending) onClose();
      }}
      className="m-auto w-full max-w-lg rounded-lg bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
    >
      {open ? (
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
      ) : null}
    </dialog>
  );
}

const FOCUSABLE = "button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function wrapFocus(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== "Tab") return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
