import type { RowDataPacket } from 'mysql2/promise';
import type { EngineConfig } from '../../config';
import { quoteMysqlIdent } from '../mysql-types';
import { readNodeStatus, type NodeStatus, type Queryable } from './galera-status';
import { describeNodeFailure, isNodeFailure, judgeNode } from './node-health';
import { NodeConnection } from './node-connection';

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

export interface NodeCheck {
  endpoint: string;
  host: string;
  port: number;
  usable: boolean;
  /** Why the node is not usable, in words; null when it is. */
  reason: string | null;
  status: NodeStatus | null;
}

const ER_WSREP_NOT_READY = 1047;
const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/**
 * The clustercheck rule on one node, confirmed by a real table read: status variables first, then a
 * read of a user table, which a node outside the primary component refuses (error 1047) while it
 * still answers `SELECT 1`, SHOW and information_schema.
 */
export async function checkNode(nc: NodeConnection): Promise<NodeCheck> {
  const base = { endpoint: nc.endpoint, host: nc.host, port: nc.port };
  try {
    return await nc.use(async (conn) => {
      const status = await readNodeStatus(conn as unknown as Queryable);
      const judgement = judgeNode(status);
      if (!judgement.usable) return { ...base, usable: false, reason: judgement.problems.join('; '), status };
      const refused = await confirmTableRead(conn as unknown as Queryable);
      return { ...base, usable: refused === null, reason: refused, status };
    });
  } catch (err) {
    return { ...base, usable: false, reason: describeNodeFailure(err), status: null };
  }
}

/** null when the node serves a table read; the refusal in words when it does not. */
async function confirmTableRead(q: Queryable): Promise<string | null> {
  const sql = await tableReadStatement(q);
  try {
    await q.query(sql);
    return null;
  } catch (err) {
    if ((err as { errno?: number }).errno === ER_WSREP_NOT_READY) return `it refused a table read: ${describeNodeFailure(err)}`;
    if (isNodeFailure(err)) throw err;
    // Any other error (no privilege, a lock wait) came from past the wsrep gate: the node serves tables.
    return null;
  }
}

/** A cheap read of a base table the user can see — of their database first. */
async function tableReadStatement(q: Queryable): Promise<string> {
  const find = async (where: string, values: unknown[]) => {
    const [rows] = await q.query<RowDataPacket[]>(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND ${where} LIMIT 1`,
      values,
    );
    return rows[0];
  };
  const table = (await find('TABLE_SCHEMA = DATABASE()', [])) ?? (await find('TABLE_SCHEMA NOT IN (?)', [SYSTEM_SCHEMAS]));
  // No visible table at all: `DO 1` goes through the same wsrep readiness check as a table read
  // (observed: refused with 1047 on a non-Primary node, where `SELECT 1` passes).
  if (!table) return 'DO 1';
  return `SELECT 1 FROM ${quoteMysqlIdent(String(table.s))}.${quoteMysqlIdent(String(table.t))} LIMIT 1`;
}

/**
 * Checks the given nodes at the same time and picks the first usable one in the given (profile)
 * order — as soon as every node before it has answered, without waiting for slower ones after it.
 * Returns the checks made, so a failure can say what is wrong with each node.
 */
export async function chooseNode(config: EngineConfig, nodes: ClusterNodeAddress[]): Promise<{ chosen: NodeCheck | null; checks: NodeCheck[] }> {
  const connections = nodes.map((n) => new NodeConnection(config, n.host, n.port));
  const pending = connections.map((nc) => checkNode(nc)); // never rejects
  const checks: NodeCheck[] = [];
  try {
    for (const p of pending) {
      const check = await p;
      checks.push(check);
      if (check.usable) return { chosen: check, checks };
    }
    return { chosen: null, checks };
  } finally {
    for (const nc of connections) nc.close();
  }
}

export function describeChecks(checks: NodeCheck[]): string {
  return checks.map((c) => `${c.endpoint}: ${c.usable ? 'usable' : c.reason}`).join('; ');
}
