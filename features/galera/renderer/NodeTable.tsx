import { Fragment } from 'react';
import type { GaleraNodeState } from '../../../shared/model/galera';
import { nodeSeverity, percent, queue, seqno } from './cluster-format';

const COLUMNS = 8;

/** Every node of the cluster, one row each; a flagged node gets its problems in a row right below it. */
export function NodeTable({ nodes }: { nodes: GaleraNodeState[] }) {
  return (
    <table className="data-table galera-nodes" aria-label="Cluster nodes">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">State</th>
          <th scope="col">Component</th>
          <th scope="col" className="right">
            Size
          </th>
          <th scope="col" title="Share of the last refresh interval that replication was paused by flow control (since FLUSH STATUS in brackets)">
            Flow control paused
          </th>
          <th scope="col" className="right" title="wsrep_local_recv_queue: writesets received, not yet applied">
            Recv queue
          </th>
          <th scope="col" className="right" title="wsrep_local_send_queue: writesets waiting to be sent">
            Send queue
          </th>
          <th scope="col" className="right" title="wsrep_last_committed (and how far behind the most advanced node)">
            Last committed
          </th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => {
          const severity = nodeSeverity(n);
          return (
            <Fragment key={n.endpoint}>
              <tr className={`node-row node-${severity}`} aria-label={`${n.endpoint}${n.nodeName ? ` (${n.nodeName})` : ''}`}>
                <td>
                  <span className={`node-dot node-dot-${severity}`} aria-hidden />
                  <span className="mono">{n.endpoint}</span>
                  {n.nodeName && <span className="muted"> {n.nodeName}</span>}
                  {n.current && <span className="badge badge-current">in use</span>}
                  {n.source === 'discovered' && (
                    <span className="badge" title="Not in the profile: found in wsrep_incoming_addresses">
                      found
                    </span>
                  )}
                </td>
                <td>{n.reachable ? <span className={`state-pill state-${n.localState === 'Synced' ? 'ok' : severity}`}>{n.localState ?? '—'}</span> : <span className="state-pill state-error">Unreachable</span>}</td>
                <td>{n.clusterStatus ?? '—'}</td>
                <td className="right">{n.clusterSize ?? '—'}</td>
                <td>
                  {percent(n.flowControlPaused)}
                  {n.flowControlPausedTotal !== null && <span className="muted"> ({percent(n.flowControlPausedTotal)})</span>}
                </td>
                <td className="right mono">{queue(n.recvQueue, n.recvQueueAvg)}</td>
                <td className="right mono">{queue(n.sendQueue, n.sendQueueAvg)}</td>
                <td className="right mono">
                  {seqno(n.lastCommitted)}
                  {n.behindBy ? <span className="behind"> −{n.behindBy}</span> : null}
                </td>
              </tr>
              {n.flags.length > 0 && (
                <tr className={`node-flags node-${severity}`}>
                  <td colSpan={COLUMNS}>
                    <ul aria-label={`Problems of ${n.endpoint}`}>
                      {n.flags.map((f) => (
                        <li key={f.kind} className={`flag flag-${f.severity}`}>
                          <strong>{f.severity === 'error' ? '✕' : '!'}</strong> {f.message}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
