import { describe, expect, it } from 'vitest';
import { sideBySide } from '../../../features/schema-compare/shared/line-diff';

describe('side-by-side DDL', () => {
  it('aligns equal lines and pairs the ones that differ', () => {
    const source = 'CREATE TABLE t (\n  id bigint,\n  name text NOT NULL,\n  email text\n);';
    const target = 'CREATE TABLE t (\n  id bigint,\n  name text\n);';
    expect(sideBySide(source, target)).toEqual([
      { source: 'CREATE TABLE t (', target: 'CREATE TABLE t (', kind: 'same' },
      { source: '  id bigint,', target: '  id bigint,', kind: 'same' },
      { source: '  name text NOT NULL,', target: '  name text', kind: 'changed' },
      { source: '  email text', target: null, kind: 'source-only' },
      { source: ');', target: ');', kind: 'same' },
    ]);
  });

  it('sets one side against nothing when the object exists on one side only', () => {
    expect(sideBySide(null, 'CREATE VIEW v AS\nSELECT 1;')).toEqual([
      { source: null, target: 'CREATE VIEW v AS', kind: 'target-only' },
      { source: null, target: 'SELECT 1;', kind: 'target-only' },
    ]);
    expect(sideBySide('a', null)).toEqual([{ source: 'a', target: null, kind: 'source-only' }]);
  });

  it('keeps lines only the target has on the target side between equal ones', () => {
    const rows = sideBySide('a\nc', 'a\nb\nc');
    expect(rows.map((r) => r.kind)).toEqual(['same', 'target-only', 'same']);
    expect(rows[1]).toEqual({ source: null, target: 'b', kind: 'target-only' });
  });
});
