import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertPair {
  cert: string;
  key: string;
}

/**
 * A private PKI made with openssl for one test file: a CA, a second CA nobody trusts, server
 * certificates (right name, wrong name, expired, self-signed, from the untrusted CA) and client
 * certificates. All files are world-readable (servers running as other users copy what they need);
 * `remove()` deletes them.
 */
export interface TestCertificates {
  dir: string;
  ca: CertPair;
  /** A CA the client does not trust. */
  otherCa: CertPair;
  /** SAN IP:127.0.0.1, DNS:localhost — the name a loopback client uses. */
  server: CertPair;
  /** SAN DNS:db.example.com only: right CA, wrong name for 127.0.0.1/localhost. */
  wrongName: CertPair;
  /** Right CA and name, valid 2020-01-01 … 2021-01-01. */
  expired: CertPair;
  /** Right CA and name, valid only from 2099-01-01. */
  notYetValid: CertPair;
  /** Self-signed, right name. */
  selfSigned: CertPair;
  /** Right name, signed by the untrusted CA. */
  untrusted: CertPair;
  /** Client certificates by common name (the user name the server maps them to), signed by `ca`. */
  clients: Record<string, CertPair>;
  remove(): void;
}

const SERVER_SAN = 'IP:127.0.0.1,DNS:localhost';

export async function createCertificates(options: { clients?: string[] } = {}): Promise<TestCertificates> {
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-certs-'));
  chmodSync(dir, 0o755);
  try {
    const f = (name: string) => join(dir, name);
    const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
    const key = async (name: string) => {
      await ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', f(`${name}.key`));
      chmodSync(f(`${name}.key`), 0o644);
    };
    const selfSignedCa = async (name: string, cn: string) => {
      await key(name);
      await ssl('req', '-x509', '-new', '-key', f(`${name}.key`), '-days', '3650', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', f(`${name}.crt`));
    };
    // openssl ca: the only way in OpenSSL 3.0 to give a certificate chosen (past) validity dates.
    writeFileSync(
      f('ca.cnf'),
      [
        '[ ca ]',
        'default_ca = test_ca',
        '[ test_ca ]',
        `dir = ${dir}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir',
        'serial = $dir/serial',
        'default_md = sha256',
        'policy = any',
        'copy_extensions = copy',
        'unique_subject = no',
        '[ any ]',
        'commonName = supplied',
        '[ server_ext ]',
        'basicConstraints = CA:FALSE',
        'keyUsage = digitalSignature, keyEncipherment',
        'extendedKeyUsage = serverAuth, clientAuth',
        '',
      ].join('\n'),
    );
    writeFileSync(f('index.txt'), '');
    writeFileSync(f('serial'), '1000\n');
    const signed = async (name: string, cn: string, san: string | null, signer: string, dates?: [string, string]) => {
      await key(name);
      await ssl('req', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${cn}`, ...(san ? ['-addext', `subjectAltName=${san}`] : []), '-out', f(`${name}.csr`));
      await ssl(
        'ca',
        '-batch',
        '-config',
        f('ca.cnf'),
        '-cert',
        f(`${signer}.crt`),
        '-keyfile',
        f(`${signer}.key`),
        '-extensions',
        'server_ext',
        ...(dates ? ['-startdate', dates[0], '-enddate', dates[1]] : ['-days', '825']),
        '-notext',
        '-in',
        f(`${name}.csr`),
        '-out',
        f(`${name}.crt`),
      );
    };
    await selfSignedCa('ca', 'DB Desk test CA');
    await selfSignedCa('other-ca', 'Somebody else CA');
    await signed('server', 'localhost', SERVER_SAN, 'ca');
    await signed('wrong-name', 'db.example.com', 'DNS:db.example.com', 'ca');
    await signed('expired', 'localhost', SERVER_SAN, 'ca', ['20200101000000Z', '20210101000000Z']);
    await signed('not-yet-valid', 'localhost', SERVER_SAN, 'ca', ['20990101000000Z', '21000101000000Z']);
    await signed('untrusted', 'localhost', SERVER_SAN, 'other-ca');
    await key('self-signed');
    await ssl('req', '-x509', '-new', '-key', f('self-signed.key'), '-days', '825', '-subj', '/CN=localhost', '-addext', `subjectAltName=${SERVER_SAN}`, '-out', f('self-signed.crt'));
    const clients: Record<string, CertPair> = {};
    for (const cn of options.clients ?? []) {
      await signed(`client-${cn}`, cn, null, 'ca');
      clients[cn] = { cert: f(`client-${cn}.crt`), key: f(`client-${cn}.key`) };
    }
    const pair = (name: string): CertPair => ({ cert: f(`${name}.crt`), key: f(`${name}.key`) });
    return {
      dir,
      ca: pair('ca'),
      otherCa: pair('other-ca'),
      server: pair('server'),
      wrongName: pair('wrong-name'),
      expired: pair('expired'),
      notYetValid: pair('not-yet-valid'),
      selfSigned: pair('self-signed'),
      untrusted: pair('untrusted'),
      clients,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not make test certificates with openssl (apt-get install openssl): ${(err as Error).message}`, { cause: err });
  }
}
