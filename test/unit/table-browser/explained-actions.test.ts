import { describe, expect, it } from 'vitest';
import type { ExplainedError } from '../../../shared/model/explained-error';
import { openTarget } from '../../../features/table-browser/renderer/explained-actions';

const base: ExplainedError = {
  kind: 'unique',
  summary: '',
  schema: 'public',
  table: 'members',
  column: 'email',
  columns: ['email'],
  constraint: 'members_email_key',
  definition: 'UNIQUE (email)',
  key: { columns: ['email'], values: ['ada@example.com'] },
  otherTable: null,
  direction: null,
  statementRow: null,
  evidence: { message: 'duplicate key value violates unique constraint "members_email_key"' },
};
const here = { schema: 'public', name: 'members' };
const condition = (column: string, value: string) => ({ kind: 'condition', column, operator: '=', value });

/** What the table browser's problem list and the SQL editor's results offer to open for an explained error. */
describe('what an explained error opens', () => {
  it('a duplicate key: the existing row, by every column of the key', () => {
    expect(openTarget(base, here)).toMatchObject({ label: 'Open the existing row', table: here, title: 'members (email) = (ada@example.com)', filter: { combinator: 'and', children: [condition('email', 'ada@example.com')] } });
    // MySQL's one-text key laid on no columns: the key's columns from the explanation's.
    expect(openTarget({ ...base, key: { columns: [], values: ['ada@example.com'] } }, here)?.filter.children).toEqual([condition('email', 'ada@example.com')]);
  });
  it('a missing key: the referenced table filtered to it; a refused delete: the rows that point here', () => {
    const fk: ExplainedError = { ...base, kind: 'foreign-key', direction: 'missing', columns: ['parent_id'], key: { columns: ['parent_id'], values: ['99'] }, otherTable: { schema: 'shop', name: 'parent', columns: ['id'] } };
    expect(openTarget(fk, here)).toMatchObject({ label: 'Open the referenced table', table: { schema: 'shop', name: 'parent' }, title: 'parent (id) = (99)', filter: { children: [condition('id', '99')] } });
    const refused: ExplainedError = { ...fk, direction: 'referenced', key: { columns: ['id'], values: ['1'] }, otherTable: { schema: null, name: 'items', columns: ['parent_id'] } };
    expect(openTarget(refused, here)).toMatchObject({ label: 'Open the rows of items that point here', table: { schema: 'public', name: 'items' }, filter: { children: [condition('parent_id', '1')] } });
  });
  it('nothing without the key\'s values, with a NULL in it, or when the values do not name every column', () => {
    expect(openTarget({ ...base, key: null }, here)).toBeNull();
    expect(openTarget({ ...base, key: { columns: ['email'], values: [null] } }, here)).toBeNull();
    expect(openTarget({ ...base, columns: ['hall', 'seat'], key: { columns: [], values: ['A-12'] } }, here)).toBeNull();
    expect(openTarget({ ...base, kind: 'foreign-key', direction: 'missing', key: { columns: ['a', 'b'], values: ['1', '2'] }, otherTable: { schema: null, name: 'p', columns: [] } }, here)).toBeNull();
    expect(openTarget({ ...base, kind: 'check' }, here)).toBeNull();
  });
});
