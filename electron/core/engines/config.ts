import { readFile } from 'node:fs/promises';
import type { ConnectionFields } from '../../../shared/model/connection';
import { CoreError } from '../errors';
import type { HostKeyPolicy } from '../ssh/host-key-policy';
import type { SshAsk, SshTyped } from '../ssh/ssh-questions';
import type { SshRouteContext } from '../ssh/ssh-route';
import type { SshTunnel } from '../ssh/ssh-tunnel';

/**
 * A profile as an engine needs it: fields plus the password. Lives only in the worker; it is
 * never logged, never serialized into an error, never sent to a renderer.
 */
export interface EngineConfig extends ConnectionFields {
  password?: string;
  /** Resolved pool size (the profile's, else (2 × CPU cores) + 1). */
  poolSize: number;
  /** Open a SQLite file even if it does not exist yet (the demo database generator does). */
  allowCreate?: boolean;
  /** PostgreSQL: every session's search_path (a shadow built in a schema of its own; a generated name). */
  searchPath?: string;
  /** SSH secrets: the password, a key's passphrase (this session's or the remembered one). */
  sshPassword?: string;
  sshPassphrase?: string;
  /** The open SSH tunnel every connection of this profile goes through (set by openEngine; worker-side only). */
  tunnel?: SshTunnel;
  /** Host key decisions (the CLI's flags); the window's own when absent. */
  hostKeys?: HostKeyPolicy;
  /** Where ~/.ssh is (tests). */
  sshContext?: SshRouteContext;
  /** Asks the window's person for a passphrase, password or one-time code (worker-side; absent in the CLI and diagnostics). */
  sshAsk?: SshAsk;
  /** Records what the person typed for this connection (scrubbed from errors; remembered when asked). */
  sshTyped?: SshTyped;
}

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Reads the CA, certificate and key files a profile names, with errors that say which file. */
export async function readTlsMaterial(tls: ConnectionFields['tls']): Promise<TlsMaterial> {
  const read = async (path: string | undefined, what: string) => {
    if (!path) return undefined;
    try {
      return await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CoreError('connection-failed', `Cannot read the ${what} file "${path}" (${code ?? 'error'}).`, { step: 'config', file: path });
    }
  };
  const material: TlsMaterial = {};
  const ca = await read(tls.caFile, 'CA certificate');
  const cert = await read(tls.certFile, 'client certificate');
  const key = await read(tls.keyFile, 'client key');
  if (ca) material.ca = ca;
  if (cert) material.cert = cert;
  if (key) material.key = key;
  return material;
}
