import type { ConnectionOptions } from 'node:tls';
import type { SslMode } from '../../../../shared/model/connection';
import type { TlsMaterial } from '../config';

/**
 * libpq's sslmode, as Node TLS options. `undefined` means "no TLS".
 *  - prefer: encrypt if the server can, verify nothing (the caller falls back to plain text);
 *  - require: encrypt, verify nothing — unless a CA file is given, then like verify-ca (libpq does the same);
 *  - verify-ca: the chain must lead to the CA, the host name is NOT compared (what the peers can't do);
 *  - verify-full: chain and host name.
 */
export function tlsOptionsFor(mode: SslMode, material: TlsMaterial): ConnectionOptions | undefined {
  const base: ConnectionOptions = {};
  if (material.ca) base.ca = material.ca;
  if (material.cert) base.cert = material.cert;
  if (material.key) base.key = material.key;
  switch (mode) {
    case 'disable':
      return undefined;
    case 'prefer':
      return { ...base, rejectUnauthorized: false };
    case 'require':
      return material.ca ? { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { ...base, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...base, rejectUnauthorized: true };
  }
}
