import { useEffect, useRef, type ReactNode } from 'react';

/** A modal on the native <dialog>: focus trapping, Escape and the top layer come from the browser. */
export function Dialog(props: { title: string; onClose(): void; children: ReactNode; footer?: ReactNode; wide?: boolean; labelId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
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
      <div className="dialog-body">{props.children}</div>
      {props.footer && <footer className="dialog-footer">{props.footer}</footer>}
    </dialog>
  );
}
