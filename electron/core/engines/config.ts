import { readFile } from 'node:fs/promises';
import type { ConnectionFields } from '../../../shared/model/connection';
import { CoreError } from '../errors';

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
