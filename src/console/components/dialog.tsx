/**
 * A modal dialog for confirmations and small forms: labelled by its title, focus moved
 * in on open and back to where it was on close, Escape cancels, and a refusal of what
 * it asked shows inside it (the page behind is covered). No styles by string.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/** Props of `Dialog`. */
export interface DialogProps {
  title: string;
  /** Called on Escape and on the Cancel button. */
  onCancel: () => void;
  /** Called when the form is submitted (the primary button). */
  onConfirm: () => void;
  confirmLabel: string;
  /** Marks the primary button as destructive (red). */
  danger?: boolean;
  busy?: boolean;
  /** Why the relay refused the last confirm, in words; shown above the buttons. */
  error?: string | null;
  children?: ComponentChildren;
}

/** A dialog with a form: its children are the fields, then Cancel and the confirm button. */
export function Dialog(props: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('textarea, select, input, button');
    first?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div class="backdrop">
      <div
        ref={ref}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            props.onConfirm();
          }}
        >
          {props.children}
          {props.error && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          <div class="dialog-buttons">
            <button type="button" onClick={props.onCancel}>
              Cancel
            </button>
            <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={props.busy}>
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
