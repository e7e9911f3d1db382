// A modal confirmation for an action that changes a key: the native
// <dialog> with showModal (focus is trapped and Escape cancels, with no
// library writing style attributes the CSP refuses). The action runs only
// from its confirm button; while it runs the buttons are disabled, and its
// error is shown inside the dialog.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  variant?: 'primary' | 'danger';
  pending?: boolean;
  /** false keeps the confirm button disabled (an invalid choice in the dialog) */
  canConfirm?: boolean;
  error?: unknown;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, variant = 'primary', pending = false, canConfirm = true, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: cancel through React's state, not the browser's own close
        e.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
      <ErrorNote error={error} />
      <div className="actions">
        <Button onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button variant={variant} onClick={onConfirm} disabled={pending || !canConfirm}>
          {pending ? 'Working…' : confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
