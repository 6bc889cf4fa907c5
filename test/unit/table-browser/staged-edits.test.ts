import { describe, expect, it } from 'vitest';
import { StagedEdits } from '../../../features/table-browser/renderer/edits/staged-edits';

const cols = [
  { name: 'id', dataType: 'int', kind: 'integer' as const },
  { name: 'name', dataType: 'text', kind: 'text' as const },
  { name: 'photo', dataType: 'bytea', kind: 'bytes' as const },
];
const row = (id: number) => ({ rowId: [id], version: `v${id}` });

describe('staged edits', () => {
  it('stages cell updates per row and drops a change set back to the original', () => {
    const e = new StagedEdits();
    e.setCell(row(1), 1, 'Ada', 'ada');
    e.setCell(row(1), 2, { hex: 'FF00' }, null);
    expect(e.count).toBe(1);
    expect(e.changes(cols)).toEqual([{ kind: 'update', id: 'u:[1]', rowId: [1], version: 'v1', values: [{ column: 'name', value: 'Ada' }, { column: 'photo', value: { hex: 'FF00' } }] }]);
    e.setCell(row(1), 1, 'ada', 'ada');
    e.setCell(row(1), 2, { hex: 'ff00' }, { bytes: 'ff00', size: 2, truncated: false });
    expect(e.count).toBe(0);
    expect(e.changes(cols)).toEqual([]);
  });

  it('keeps NULL apart from the empty string', () => {
    const e = new StagedEdits();
    e.setCell(row(2), 1, '', null);
    e.setCell(row(3), 1, null, '');
    expect(e.changes(cols).map((c) => (c.kind === 'update' ? c.values[0]!.value : undefined))).toEqual(['', null]);
  });

  it('deletes, inserts and reverts; a deleted row sends no update', () => {
    const e = new StagedEdits();
    e.setCell(row(1), 1, 'x', 'y');
    e.toggleDelete([row(1), row(2)]);
    const id = e.addInsert(new Map([[1, 'new']]));
    expect(e.count).toBe(3);
    expect(e.changes(cols).map((c) => c.kind)).toEqual(['insert', 'delete', 'delete']);
    e.toggleDelete([row(1), row(2)]);
    expect(e.changes(cols).map((c) => c.kind)).toEqual(['update', 'insert']);
    e.revertRow([1]);
    e.removeInsert(id);
    expect(e.count).toBe(0);
  });

  it('remembers what Apply said about each change until the row is touched again', () => {
    const e = new StagedEdits();
    e.setCell(row(7), 1, 'x', 'y');
    e.setProblems([{ changeId: 'u:[7]', kind: 'conflict', message: 'changed by someone else' }]);
    expect(e.problemForRow([7])?.kind).toBe('conflict');
    e.setCell(row(7), 1, 'z', 'y');
    expect(e.problemForRow([7])).toBeUndefined();
  });
});
