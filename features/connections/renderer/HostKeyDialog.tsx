import { useSyncExternalStore } from 'react';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';

/** What the core said about a host key it would not accept (an SSH failure's detail). */
export interface HostKeyProblem {
  profileId: string;
  kind: 'unknown' | 'changed';
  host: string;
  port: number;
  label: string;
  keyType: string;
  fingerprint: string;
  expectedFingerprint?: string;
  knownHostsFile?: string;
  offendingEntry?: string;
}

let current: (HostKeyProblem & { resolve(retry: boolean): void }) | null = null;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/**
 * Shows the host-key dialog for a failed connect; resolves true when the key was trusted (the
 * caller connects again). A changed key can only be closed: never a click-through.
 */
export function askAboutHostKey(problem: HostKeyProblem): Promise<boolean> {
  return new Promise((resolve) => {
    current?.resolve(false);
    current = { ...problem, resolve };
    emit();
  });
}

/** The SSH facts of a failure detail, when it is about a host key. */
export function hostKeyProblemOf(profileId: string, detail: Record<string, unknown> | undefined): HostKeyProblem | null {
  const cls = detail?.failureClass;
  const ssh = detail?.ssh as Record<string, unknown> | undefined;
  if ((cls !== 'ssh-host-key-unknown' && cls !== 'ssh-host-key-changed') || !ssh) return null;
  const hop = ssh.hop as { label?: string } | undefined;
  const label = hop?.label ?? '';
  const i = label.lastIndexOf(':');
  if (i < 0 || typeof ssh.fingerprint !== 'string') return null;
  return {
    profileId,
    kind: cls === 'ssh-host-key-unknown' ? 'unknown' : 'changed',
    host: label.slice(0, i).replace(/^\[(.*)\]$/, '$1'),
    port: Number(label.slice(i + 1)),
    label,
    keyType: String(ssh.keyType ?? ''),
    fingerprint: ssh.fingerprint,
    ...(typeof ssh.expectedFingerprint === 'string' ? { expectedFingerprint: ssh.expectedFingerprint } : {}),
    ...(typeof ssh.knownHostsFile === 'string' ? { knownHostsFile: ssh.knownHostsFile } : {}),
    ...(typeof ssh.offendingEntry === 'string' ? { offendingEntry: ssh.offendingEntry } : {}),
  };
}

export function HostKeyDialog() {
  const p = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => current,
  );
  if (!p) return null;
  const close = (retry: boolean) => {
    current = null;
    emit();
    p.resolve(retry);
  };
  const trust = async (always: boolean) => {
    await client.call('connections.trustHostKey', { host: p.host, port: p.port, fingerprint: p.fingerprint, always });
    close(true);
  };
  if (p.kind === 'changed') {
    return (
      <Dialog title="SSH host key changed — connection refused" onClose={() => close(false)} footer={<button className="btn" data-autofocus onClick={() => close(false)}>Close</button>}>
        <div className="notice notice-error" role="alert">
          <p>
            <strong>Warning: the host key of {p.label} has changed.</strong> Someone could be eavesdropping on you right now (a man-in-the-middle attack), or the server’s host key was just
            replaced. DB Desk does not connect.
          </p>
        </div>
        <dl className="hostkey-facts">
          <dt>Presented now</dt>
          <dd className="mono">{p.keyType} {p.fingerprint}</dd>
          {p.expectedFingerprint && (
            <>
              <dt>On file{p.offendingEntry ? ` (${p.offendingEntry})` : ''}</dt>
              <dd className="mono">{p.expectedFingerprint}</dd>
            </>
          )}
        </dl>
        <p>Ask the server’s admin to confirm the new fingerprint through another channel. Only then remove the old entry from known_hosts and connect again.</p>
      </Dialog>
    );
  }
  return (
    <Dialog
      title="Unknown SSH host key"
      onClose={() => close(false)}
      footer={
        <>
          <button className="btn" onClick={() => close(false)}>Cancel</button>
          <button className="btn" onClick={() => void trust(false)}>Trust once</button>
          <button className="btn btn-primary" data-autofocus onClick={() => void trust(true)}>Trust always</button>
        </>
      }
    >
      <p>The authenticity of {p.label} can’t be established. Compare its fingerprint with the one the server’s admin gives you:</p>
      <p className="mono hostkey-fingerprint">{p.keyType} key fingerprint is {p.fingerprint}</p>
      <p className="muted">Trust once: for this window until it closes. Trust always: written to {p.knownHostsFile ?? 'known_hosts'}, as ssh would.</p>
    </Dialog>
  );
}
