"use client";

import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";

type Props = {
  open: boolean;
  /** Id of the dialog's title. */
  labelledBy: string;
  describedBy?: string;
  /** While true (an action runs), Escape does not close the dialog. */
  busy: boolean;
  onClose: () => void;
  testId?: string;
  width?: "md" | "lg";
  children: ReactNode;
};

/**
 * A modal on the native <dialog>: showModal() makes the rest of the page inert, Tab and
 * Shift+Tab wrap inside it, the control marked data-autofocus (or the first one) takes focus,
 * Escape closes it unless it is busy, and focus goes back to what opened it. The content is
 * mounted only while open, so every opening starts from its initial state.
 */
export function Modal({ open, labelledBy, describedBy, busy, onClose, testId, width = "md", children }: Readonly<Props>) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      (dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      if (opener.current?.isConnected) opener.current.focus();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      data-testid={testId}
      onKeyDown={wrapFocus}
      onCancel={(event) => {
        // Escape: let React's state close the dialog, and never in the middle of the action.
        event.preventDefault();
        if (!busy) onClose();
      }}
      className={`m-auto w-full ${width === "lg" ? "max-w-2xl" : "max-w-lg"} rounded-lg bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40`}
    >
      {open ? children : null}
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
