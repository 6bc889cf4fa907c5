import mysql, { type RowDataPacket } from 'mysql2/promise';
import type { ClusterSchemaCheck } from '../../../../../shared/model/migrations';
import { formatEndpoint } from '../mysql-connection-options';
import { parseIncomingAddresses } from './galera-status';
import type { MigrationNode } from '../mysql-migrations';
import { describeNodeFailure } from './node-health';

/** Runs one read on a node: the run's own connection, or a connection to another node. */
export type Read = (sql: string, params?: unknown[]) => Promise<RowDataPacket[]>;

/** How long a node may take to apply what the run's node committed (TOI DDL runs on each node in turn). */
const CATCH_UP_MS = 20_000;
const CONNECT_TIMEOUT_MS = 5000;
const MAX_DIFFERENCES = 50;

/** One node's schema: object ("column orders.total") → its definition, as comparable text. */
export type SchemaMap = Map<string, string>;

const text = (v: unknown) => (v === null || v === undefined ? 'NULL' : String(v));

/**
 * The schema of one database as a node's information_schema reports it: tables, columns, indexes,
 * foreign keys, checks, views, triggers and routines. What legitimately differs between Galera nodes
 * (AUTO_INCREMENT counters — each node has its own offset — row counts, sizes, times) is left out.
 */
export async function readSchema(read: Read, database: string): Promise<SchemaMap> {
  const m: SchemaMap = new Map();
  for (const r of await read('SELECT TABLE_NAME AS n, TABLE_TYPE AS t, ENGINE AS e, TABLE_COLLATION AS c, CREATE_OPTIONS AS o FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database])) {
    m.set(`table ${text(r.n)}`, `${text(r.t)} engine=${text(r.e)} collation=${text(r.c)} options=${text(r.o)}`);
  }
  for (const r of await read(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, ORDINAL_POSITION AS p, COLUMN_TYPE AS ty, IS_NULLABLE AS nl, COLUMN_DEFAULT AS d, EXTRA AS x, COLLATION_NAME AS co, GENERATION_EXPRESSION AS g
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
    [database],
  )) {
    const generated = r.g ? ` AS (${text(r.g)})` : '';
    m.set(`column ${text(r.t)}.${text(r.c)}`, `#${text(r.p)} ${text(r.ty)}${r.nl === 'YES' ? ' NULL' : ' NOT NULL'} default ${text(r.d)}${r.x ? ` ${text(r.x)}` : ''}${r.co ? ` collate ${text(r.co)}` : ''}${generated}`);
  }
  const indexes = new Map<string, string[]>();
  for (const r of await read(
    'SELECT TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS u, COLUMN_NAME AS c, SUB_PART AS sp, INDEX_TYPE AS ty FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX',
    [database],
  )) {
    const key = `index ${text(r.t)}.${text(r.i)}`;
    const head = `${Number(r.u) === 0 ? 'UNIQUE ' : ''}${text(r.ty)}`;
    const cols = indexes.get(key) ?? [head];
    cols.push(`${text(r.c)}${r.sp ? `(${text(r.sp)})` : ''}`);
    indexes.set(key, cols);
  }
  for (const [k, [head, ...cols]] of indexes) m.set(k, `${head} (${cols.join(', ')})`);
  for (const r of await read(
    `SELECT rc.TABLE_NAME AS t, rc.CONSTRAINT_NAME AS n, rc.REFERENCED_TABLE_NAME AS rt, rc.UPDATE_RULE AS ur, rc.DELETE_RULE AS dr,
            GROUP_CONCAT(CONCAT(k.COLUMN_NAME, '->', k.REFERENCED_COLUMN_NAME) ORDER BY k.ORDINAL_POSITION SEPARATOR ', ') AS cols
       FROM information_schema.REFERENTIAL_CONSTRAINTS rc
       JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME
      WHERE rc.CONSTRAINT_SCHEMA = ?
      GROUP BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.REFERENCED_TABLE_NAME, rc.UPDATE_RULE, rc.DELETE_RULE`,
    [database],
  )) {
    m.set(`foreign key ${text(r.t)}.${text(r.n)}`, `(${text(r.cols)}) references ${text(r.rt)} on update ${text(r.ur)} on delete ${text(r.dr)}`);
  }
  // MariaDB names the table of a CHECK constraint; MySQL 8 does not (and MySQL 5.7 has no checks at all).
  const checks = await read('SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS n, CHECK_CLAUSE AS c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?', [database]).catch(() =>
    read('SELECT NULL AS t, CONSTRAINT_NAME AS n, CHECK_CLAUSE AS c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?', [database]).catch(() => []),
  );
  for (const r of checks) m.set(`check ${r.t ? `${text(r.t)}.` : ''}${text(r.n)}`, text(r.c));
  for (const r of await read('SELECT TABLE_NAME AS n, VIEW_DEFINITION AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?', [database])) m.set(`view ${text(r.n)}`, text(r.d));
  for (const r of await read(
    'SELECT TRIGGER_NAME AS n, EVENT_OBJECT_TABLE AS t, ACTION_TIMING AS ti, EVENT_MANIPULATION AS e, ACTION_ORDER AS o, ACTION_STATEMENT AS s FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
    [database],
  )) {
    m.set(`trigger ${text(r.n)}`, `${text(r.ti)} ${text(r.e)} on ${text(r.t)} #${text(r.o)}: ${text(r.s)}`);
  }
  for (const r of await read('SELECT ROUTINE_NAME AS n, ROUTINE_TYPE AS t, DTD_IDENTIFIER AS r, ROUTINE_DEFINITION AS d FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?', [database])) {
    m.set(`${text(r.t).toLowerCase()} ${text(r.n)}`, `${r.r ? `returns ${text(r.r)}: ` : ''}${text(r.d)}`);
  }
  return m;
}

export interface NodeSchema {
  endpoint: string;
  name: string | null;
  reference: boolean;
  reached: boolean;
  caughtUp: boolean;
  error: string | null;
  schema: SchemaMap | null;
}

/** Every object whose definition is not the same on every node that was read (missing = null), the reference node first. */
export function compareSchemas(nodes: NodeSchema[]): ClusterSchemaCheck['differences'] {
  const read = nodes.filter((n) => n.schema !== null);
  const keys = [...new Set(read.flatMap((n) => [...n.schema!.keys()]))].sort();
  const out: ClusterSchemaCheck['differences'] = [];
  for (const object of keys) {
    const values = read.map((n) => ({ endpoint: n.endpoint, definition: n.schema!.get(object) ?? null }));
    if (values.every((v) => v.definition === values[0]!.definition)) continue;
    out.push({ object, values });
  }
  return out;
}

function who(n: { endpoint: string; name: string | null }): string {
  return n.name ? `${n.endpoint} (${n.name})` : n.endpoint;
}

/** The whole result in words: identical, different (and where), or not every node checked (and why). */
export function summarize(database: string, nodes: NodeSchema[], differences: ClusterSchemaCheck['differences'], objects: number): { identical: boolean; summary: string } {
  const unchecked = nodes.filter((n) => !n.reached || n.schema === null);
  const behind = nodes.filter((n) => n.reached && n.schema !== null && !n.caughtUp);
  const compared = nodes.filter((n) => n.schema !== null);
  if (differences.length > 0) {
    const first = differences[0]!;
    const lag = behind.length ? ` ${behind.map(who).join(', ')} had not caught up with the run yet, which may explain it.` : '';
    return {
      identical: false,
      summary: `The schema of ${database} differs between the nodes: ${differences.length} object${differences.length === 1 ? '' : 's'} (first: ${first.object} — ${first.values.map((v) => `${v.endpoint}: ${v.definition ?? 'missing'}`).join('; ')}).${lag} The migration history says it applied; compare the nodes before writing to them.`,
    };
  }
  if (unchecked.length > 0 || behind.length > 0) {
    const problems = [...unchecked.map((n) => `${who(n)}: ${n.error ?? 'not reached'}`), ...behind.map((n) => `${who(n)}: it had not applied the run's last change within ${CATCH_UP_MS / 1000} s`)];
    return {
      identical: false,
      summary: `Not every node could be checked — ${problems.join('; ')}. ${compared.length > 1 ? `The ${compared.length} nodes that were have the same schema (${objects} objects in ${database}).` : 'Check it again once the cluster is whole.'}`,
    };
  }
  return { identical: true, summary: `The schema of ${database} is identical on all ${nodes.length} nodes (${objects} objects: tables, columns, indexes, keys, views, triggers, routines), each read after it had applied this run.` };
}

/**
 * After a migration run on a Galera cluster: finds every node (the profile's and the cluster's own
 * wsrep_incoming_addresses), waits until each has applied what the run's node committed, reads the
 * migrated database's schema there and compares it with the run's node. Never throws: a node that
 * cannot be reached or read is reported as such.
 */
export async function checkClusterSchema(origin: Read, database: string, node: MigrationNode): Promise<ClusterSchemaCheck> {
  const status = async (read: Read) => {
    const rows = await read("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_last_committed', 'wsrep_incoming_addresses', 'wsrep_gcomm_uuid', 'wsrep_cluster_status')");
    const vars = await read("SHOW GLOBAL VARIABLES WHERE Variable_name = 'wsrep_node_name'");
    const s = new Map([...rows, ...vars].map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value ?? '')]));
    return { seqno: Number(s.get('wsrep_last_committed') ?? -1), incoming: s.get('wsrep_incoming_addresses') ?? '', uuid: s.get('wsrep_gcomm_uuid') ?? '', cluster: s.get('wsrep_cluster_status') ?? '', name: s.get('wsrep_node_name') || null };
  };
  let ref: Awaited<ReturnType<typeof status>>;
  let refSchema: SchemaMap;
  try {
    ref = await status(origin);
    refSchema = await readSchema(origin, database);
  } catch (err) {
    const summary = `The schema could not be read on ${node.endpoint}, the run's node: ${describeNodeFailure(err)}.`;
    return { database, identical: false, summary, nodes: [{ endpoint: node.endpoint, name: null, reference: true, reached: false, caughtUp: false, objects: 0, error: describeNodeFailure(err) }], differences: [], moreDifferences: 0 };
  }
  const nodes: NodeSchema[] = [{ endpoint: node.endpoint, name: ref.name, reference: true, reached: true, caughtUp: true, error: null, schema: refSchema }];
  const seen = new Set([node.endpoint]);
  const uuids = new Set([ref.uuid]);
  // The profile's nodes in its order, then the ones the cluster reports, by address: Galera lists
  // wsrep_incoming_addresses in no fixed order, and the report should read the same every time.
  const discovered = parseIncomingAddresses(ref.incoming).sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  const candidates = [...node.peers, ...discovered].filter((a) => {
    const e = formatEndpoint(a.host, a.port);
    if (seen.has(e)) return false;
    seen.add(e);
    return true;
  });
  const others = await Promise.all(candidates.map((a) => readNode(a.host, a.port, node, database, ref.seqno, status)));
  for (const o of others) {
    // The same node under another address (the profile says a name, the cluster an IP): once is enough.
    if (o.uuid && uuids.has(o.uuid)) continue;
    if (o.uuid) uuids.add(o.uuid);
    nodes.push(o.node);
  }
  const all = compareSchemas(nodes);
  const { identical, summary } = summarize(database, nodes, all, refSchema.size);
  return {
    database,
    identical,
    summary,
    nodes: nodes.map(({ schema, ...n }) => ({ ...n, objects: schema?.size ?? 0 })),
    differences: all.slice(0, MAX_DIFFERENCES),
    moreDifferences: Math.max(0, all.length - MAX_DIFFERENCES),
  };
}

async function readNode(
  host: string,
  port: number,
  node: MigrationNode,
  database: string,
  seqno: number,
  status: (read: Read) => Promise<{ seqno: number; uuid: string; cluster: string; name: string | null }>,
): Promise<{ uuid: string | null; node: NodeSchema }> {
  const endpoint = formatEndpoint(host, port);
  let conn: mysql.Connection | null = null;
  const base = { endpoint, name: null as string | null, reference: false };
  try {
    conn = await mysql.createConnection({ ...node.optionsFor(host, port), connectTimeout: CONNECT_TIMEOUT_MS });
    conn.on('error', () => undefined);
    const read: Read = async (sql, params = []) => (await conn!.query<RowDataPacket[]>(sql, params))[0];
    let s = await status(read);
    const deadline = Date.now() + CATCH_UP_MS;
    while (s.seqno < seqno && s.cluster === 'Primary' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status(read);
    }
    const named = { ...base, name: s.name };
    if (s.cluster !== 'Primary') {
      return { uuid: s.uuid || null, node: { ...named, reached: true, caughtUp: false, error: `it is not in the primary component (wsrep_cluster_status=${s.cluster || '?'}), so its schema may be out of date`, schema: null } };
    }
    const schema = await readSchema(read, database);
    return { uuid: s.uuid || null, node: { ...named, reached: true, caughtUp: s.seqno >= seqno, error: null, schema } };
  } catch (err) {
    return { uuid: null, node: { ...base, reached: false, caughtUp: false, error: describeNodeFailure(err), schema: null } };
  } finally {
    conn?.destroy();
  }
}
