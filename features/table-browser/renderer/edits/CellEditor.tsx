import { useEffect, useRef, useState } from 'react';
import type { EditValue } from '../../../../shared/model/table-query';
import { isBytes, type CellValue } from '../../../../shared/model/values';
import type { GridColumn } from '../../../../renderer/src/ui/data-grid/core/types';

interface Props {
  column: GridColumn;
  value: CellValue;
  /** A character typed on the cell, replacing its value. */
  typed?: string;
  onCommit(value: EditValue, move?: 'down' | 'right'): void;
  onCancel(): void;
}

/** Text the editor starts with for a value. */
function initialText(value: CellValue): string {
  if (value === null) return '';
  if (isBytes(value)) return value.bytes;
  return String(value);
}

/** Bytes are typed as hex, with or without a leading \x. */
export function parseHexInput(text: string): { hex: string } | null {
  const hex = text.trim().replace(/^\\x/i, '').replace(/\s+/g, '');
  return /^([0-9a-fA-F]{2})*$/.test(hex) ? { hex: hex.toLowerCase() } : null;
}

/**
 * The inline editor of one cell: Enter stages the value, Tab stages and moves right, Escape
 * cancels. Booleans stored as booleans get a choice; bytes are typed as hex. NULL is set with
 * the Set NULL action (Backspace on the cell, or the side panel), never by an empty input.
 */
export function CellEditor({ column, value, typed, onCommit, onCancel }: Props) {
  const [text, setText] = useState(typed ?? initialText(value));
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    if (typed === undefined && ref.current instanceof HTMLInputElement) ref.current.select();
  }, [typed]);

  const commit = (move?: 'down' | 'right') => {
    if (done.current) return;
    let v: EditValue;
    if (column.kind === 'bytes') {
      const parsed = parseHexInput(text);
      if (!parsed) {
        setError('Bytes are typed as hex digits, two per byte.');
        return;
      }
      v = parsed;
    } else v = text;
    done.current = true;
    onCommit(v, move);
  };

  // A true/false choice where the column is declared boolean (PostgreSQL, SQLite); MySQL's tinyint(1) can hold other numbers and stays a text box.
  const boolChoice = column.kind === 'boolean' && (typeof value === 'boolean' || /^bool(ean)?$/i.test(column.dataType.trim()));
  if (boolChoice) {
    return (
      <select
        ref={ref}
        aria-label={`New value of ${column.name}`}
        defaultValue={value === false || value === 0 ? 'false' : 'true'}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            done.current = true;
            onCancel();
          } else if (e.key === 'Enter') {
            e.preventDefault();
            done.current = true;
            onCommit(ref.current!.value === 'true');
          }
        }}
        onBlur={() => {
          if (!done.current) {
            done.current = true;
            onCommit(ref.current!.value === 'true');
          }
        }}
      >
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }

  return (
    <>
      <input
        ref={ref}
        aria-label={`New value of ${column.name}`}
        aria-invalid={error !== null}
        title={error ?? undefined}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit('down');
          } else if (e.key === 'Tab') {
            e.preventDefault();
            commit('right');
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            done.current = true;
            onCancel();
          }
        }}
        onBlur={() => commit()}
      />
      {error && (
        <span className="cell-editor-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
