import { useEffect, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

/** A modal dialog (the browser's own <dialog>: focus is trapped in it and Escape closes it). */
export function Dialog({ title, onClose, children }: { title: string; onClose(): void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const close = () => onClose();
    dialog.addEventListener('close', close);
    return () => dialog.removeEventListener('close', close);
  }, []);
  return (
    <dialog ref={ref} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

/** Asks before something that cannot be undone; the action runs only on "confirm". */
export function Confirm({ title, message, confirmLabel, onConfirm, onCancel }: { title: string; message: ComponentChildren; confirmLabel: string; onConfirm(): void; onCancel(): void }) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <p>{message}</p>
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
