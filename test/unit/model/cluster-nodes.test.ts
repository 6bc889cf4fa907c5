import { describe, expect, it } from 'vitest';
import { formatNodeList, parseNodeList } from '../../../shared/model/cluster-nodes';
import { describeTarget } from '../../../shared/model/connection';

describe('the connection editor’s further nodes', () => {
  it('reads host:port lists separated by commas, spaces or lines, with the default port where none is given', () => {
    expect(parseNodeList('db2:3307, db3\n[fd00::4]:3306', 3306)).toEqual({
      nodes: [
        { host: 'db2', port: 3307 },
        { host: 'db3', port: 3306 },
        { host: 'fd00::4', port: 3306 },
      ],
      error: null,
    });
    expect(parseNodeList('  ', 3306)).toEqual({ nodes: [], error: null });
  });

  it('names the entry that is wrong', () => {
    expect(parseNodeList('db2:3306, db3:99999', 3306).error).toBe('The port of "db3:99999" must be a number between 1 and 65535.');
    expect(parseNodeList('db2:x', 3306).error).toBe('"db2:x" is not a host or host:port.');
  });

  it('writes them back the way it reads them', () => {
    const nodes = [
      { host: 'db2', port: 3307 },
      { host: 'fd00::4', port: 3306 },
    ];
    expect(formatNodeList(nodes)).toBe('db2:3307, [fd00::4]:3306');
    expect(parseNodeList(formatNodeList(nodes), 1).nodes).toEqual(nodes);
  });

  it('shows how many further nodes a profile has in its one-line description', () => {
    expect(describeTarget({ engine: 'mariadb', host: 'db1', port: 3306, user: 'app', database: 'shop', nodes: [{}, {}] })).toBe('app@db1:3306/shop +2 nodes');
    expect(describeTarget({ engine: 'mariadb', host: 'db1', port: 3306, nodes: [] })).toBe('db1:3306');
  });
});
