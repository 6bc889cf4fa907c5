import { useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  labelId?: string;
  /**
   * The body is reading matter with nothing to focus (the shortcuts list): it takes the focus itself
   * when the dialog opens, so arrows and Page Down scroll it from the keyboard.
   */
  scrollableBody?: boolean;
  /**
   * Where the keyboard focus goes when the dialog closes. By default it goes back to what had it
   * before the dialog opened; when that is gone (Apply removed the button that opened it) or the
   * place is better known (the grid the changes belong to), this says where.
   */
  returnFocus?(): HTMLElement | null | undefined;
}

/**
 * A modal on the native <dialog>: focus trapping, Escape and the top layer come from the browser.
 * It opens with the focus on the element marked `data-autofocus` (the action the dialog is for;
 * React's autoFocus fires while the dialog is still closed, when nothing in it can take focus),
 * else on the first control; it closes with the focus back where it makes sense (see returnFocus).
 */
export function Dialog(props: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useModal(ref, props.returnFocus);
  const labelId = props.labelId ?? `dlg-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' dialog-wide' : ''}`}
      aria-labelledby={labelId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={labelId}>{props.title}</h2>
        <button className="icon-btn" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </header>
      {props.scrollableBody ? (
        <div className="dialog-body" role="region" aria-labelledby={labelId} tabIndex={0} data-autofocus>
          {props.children}
        </div>
      ) : (
        <div className="dialog-body">{props.children}</div>
      )}
      {props.footer && <footer className="dialog-footer">{props.footer}</footer>}
    </dialog>
  );
}

/**
 * Shows a <dialog> as a modal while the component is mounted: focus on `[data-autofocus]`, and
 * back where it belongs when it closes. Layout effects: shown before the browser paints, closed
 * while still in the document (closing a dialog React already removed restores no focus).
 */
export function useModal(ref: RefObject<HTMLDialogElement | null>, returnFocus?: () => HTMLElement | null | undefined): void {
  const returnTo = useRef(returnFocus);
  returnTo.current = returnFocus;
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    d.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)')?.focus();
    return () => {
      const wanted = returnTo.current?.();
      d.close();
      const target = wanted ?? (opener?.isConnected && opener.getClientRects().length > 0 ? opener : null);
      // The dialog's own content is going away: focus something that stays.
      if (target && !d.contains(target)) target.focus();
    };
  }, [ref]);
}
