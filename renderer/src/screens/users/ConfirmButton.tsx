// A destructive action that asks first (RENDERER.md): the button opens a
// native modal <dialog> (focus trapped, Escape cancels) naming what will
// happen; only its confirm button runs the action.
import { useRef, type ReactNode } from 'react';
import { Button } from '../../ui/controls.js';

export interface ConfirmButtonProps {
  /** the button's label, and the confirm button's */
  label: string;
  /** what will happen, in a sentence */
  question: ReactNode;
  onConfirm: () => void;
  disabled?: boolean;
  variant?: 'danger' | 'secondary';
}

export function ConfirmButton({ label, question, onConfirm, disabled, variant = 'danger' }: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button variant={variant} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <dialog ref={dialog} className="confirm" aria-label={label}>
        <p>{question}</p>
        <div className="actions">
          <Button onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button
            variant={variant === 'danger' ? 'danger' : 'primary'}
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {label}
          </Button>
        </div>
      </dialog>
    </>
  );
}
