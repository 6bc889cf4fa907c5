import { describe, expect, it } from 'vitest';
import { fromFilter, newCondition, newGroup, toFilter, updateNode } from '../../../features/table-browser/renderer/filter/filter-model';
import { prettyJson } from '../../../features/table-browser/renderer/panels/json-pretty';
import { hexDump } from '../../../features/table-browser/renderer/panels/hex-dump';

describe('filter drafts', () => {
  it('turn into the contract’s filter: values as typed, lists one per line, empty groups gone', () => {
    const a = { ...newCondition('name'), operator: 'contains' as const, value: "O'Reilly %" };
    const b = { ...newCondition('id'), operator: 'in' as const, list: '1\n2\n\n3' };
    const c = { ...newCondition('amount'), operator: 'between' as const, value: '10', to: '20.5' };
    const d = { ...newCondition('note'), operator: 'is-null' as const };
    const root = newGroup('and', [a, newGroup('or', [b, c, newGroup('and', [])]), d]);
    expect(toFilter(root)).toEqual({
      problems: [],
      filter: {
        kind: 'group',
        combinator: 'and',
        children: [
          { kind: 'condition', column: 'name', operator: 'contains', value: "O'Reilly %" },
          {
            kind: 'group',
            combinator: 'or',
            children: [
              { kind: 'condition', column: 'id', operator: 'in', values: ['1', '2', '3'] },
              { kind: 'condition', column: 'amount', operator: 'between', value: '10', to: '20.5' },
            ],
          },
          { kind: 'condition', column: 'note', operator: 'is-null' },
        ],
      },
    });
  });

  it('names the condition that cannot be sent, and round-trips from a filter', () => {
    const bad = { ...newCondition('id'), operator: 'in' as const, list: '' };
    const { filter, problems } = toFilter(newGroup('and', [bad]));
    expect(filter).toBeNull();
    expect(problems).toEqual([{ id: bad.id, message: expect.stringContaining('one per line') }]);
    const f = { kind: 'group' as const, combinator: 'or' as const, children: [{ kind: 'condition' as const, column: 'x', operator: '=' as const, value: 5 }] };
    expect(toFilter(fromFilter(f)).filter).toEqual({ ...f, children: [{ ...f.children[0], value: '5' }] });
  });

  it('edits and removes nodes anywhere in the tree', () => {
    const c = newCondition('a');
    const g = newGroup('or', [c]);
    const root = newGroup('and', [g]);
    const renamed = updateNode(root, c.id, (n) => ({ ...n, column: 'b' }) as typeof c);
    expect((renamed.children[0] as typeof g).children[0]).toMatchObject({ column: 'b' });
    expect(updateNode(root, g.id, () => null).children).toEqual([]);
  });
});

describe('value viewers', () => {
  it('pretty-print JSON without losing digits', () => {
    expect(prettyJson('{"big":12345678901234567890123,"list":[1,{"a":"x,y:{"}],"e":{}}')).toBe(
      '{\n  "big": 12345678901234567890123,\n  "list": [\n    1,\n    {\n      "a": "x,y:{"\n    }\n  ],\n  "e": {}\n}',
    );
    expect(prettyJson('not json')).toBeNull();
  });

  it('dump bytes as hex with printable text beside', () => {
    const { lines, shown } = hexDump('48656c6c6f00ff');
    expect(shown).toBe(7);
    expect(lines[0]).toMatch(/^00000000 {2}48 65 6c 6c 6f 00 ff .* Hello··$/);
  });
});
