import { RemedyLine } from './RemedyLine';
import { useMemo, useState } from 'react';
import { connectionColors, sslModes, type ConnectionFieldsInput, type ConnectionProfile, type SslMode } from '../../../shared/model/connection';
import { ConnectionUrlError, parseConnectionUrl } from '../../../shared/model/connection-url';
import { formatNodeList, parseNodeList } from '../../../shared/model/cluster-nodes';
import { defaultPorts, engineKinds, engineLabels, furtherHosts, isFileEngine, type EngineKind } from '../../../shared/model/engine';
import type { IpcError } from '../../../shared/ipc/errors';
import { appStore, type EditorState } from '../../../renderer/src/app/app-state';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { PathField } from '../../../renderer/src/ui/PathField';
import { toast } from '../../../renderer/src/ui/toasts';
import { diagnosticClassLabels, type DiagnosticClass } from '../../../shared/model/diagnostics';
import { errorOf, openConnection, openDraftDiagnostics, saveProfile } from './connection-actions';
import { credentialOwner, passwordIsStale, passwordToSend } from './password-owner';
import { SshSection, sshDraftFrom, sshFieldsFrom, type SecretDraft } from './SshSection';

interface Draft {
  name: string;
  engine: EngineKind;
  host: string;
  port: string;
  /** Further cluster nodes (Galera) or hosts tried in order (PostgreSQL): `h2:3306, h3:3306`. */
  nodes: string;
  database: string;
  user: string;
  file: string;
  sslMode: SslMode;
  caFile: string;
  certFile: string;
  keyFile: string;
  connectTimeoutSeconds: string;
  poolSize: string;
  retryAttempts: string;
  retryDelay: string;
  production: boolean;
  readOnly: boolean;
  color: (typeof connectionColors)[number];
}

function draftFrom(p: Partial<ConnectionProfile> | ConnectionFieldsInput | undefined): Draft {
  return {
    name: p?.name ?? '',
    engine: p?.engine ?? 'postgresql',
    host: p?.host ?? '',
    port: p?.port ? String(p.port) : '',
    nodes: formatNodeList(p?.nodes ?? []),
    database: p?.database ?? '',
    user: p?.user ?? '',
    file: p?.file ?? '',
    sslMode: p?.tls?.mode ?? 'prefer',
    caFile: p?.tls?.caFile ?? '',
    certFile: p?.tls?.certFile ?? '',
    keyFile: p?.tls?.keyFile ?? '',
    connectTimeoutSeconds: String((p?.connectTimeoutMs ?? 10_000) / 1000),
    poolSize: p?.poolSize ? String(p.poolSize) : '',
    retryAttempts: String(p?.retry?.maxAttempts ?? 1),
    retryDelay: String(p?.retry?.delaySeconds ?? 5),
    production: p?.production ?? false,
    readOnly: p?.readOnly ?? false,
    color: p?.color ?? 'none',
  };
}

/** The native dialog's file types for TLS files (desktop app). */
const CERT_FILTERS = [
  { name: 'Certificates and keys', extensions: ['crt', 'pem', 'cer', 'key'] },
  { name: 'All files', extensions: ['*'] },
];

/** Draft → profile fields; number fields left empty fall back to the core's defaults. */
function fieldsFrom(d: Draft, base: Partial<ConnectionProfile> | undefined): ConnectionFieldsInput {
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const fields: ConnectionFieldsInput = {
    name: d.name.trim(),
    engine: d.engine,
    nodes: isFileEngine(d.engine) ? [] : parseNodeList(d.nodes, num(d.port) ?? defaultPorts[d.engine]).nodes,
    tls: { mode: d.sslMode, caFile: opt(d.caFile), certFile: opt(d.certFile), keyFile: opt(d.keyFile) },
    connectTimeoutMs: Math.round((num(d.connectTimeoutSeconds) ?? 10) * 1000),
    poolSize: num(d.poolSize),
    retry: { maxAttempts: num(d.retryAttempts) ?? 1, delaySeconds: num(d.retryDelay) ?? 5 },
    production: d.production,
    readOnly: d.readOnly,
    color: d.color,
    demo: base?.demo ?? false,
    migrationsDir: base?.migrationsDir,
  };
  if (isFileEngine(d.engine)) fields.file = d.file.trim();
  else {
    fields.host = opt(d.host) ?? 'localhost';
    fields.port = num(d.port) ?? defaultPorts[d.engine];
    fields.database = opt(d.database);
    fields.user = opt(d.user);
  }
  return fields;
}

type TestState = { status: 'idle' } | { status: 'testing' } | { status: 'ok'; text: string } | { status: 'failed'; error: IpcError };

export function ConnectionEditor(props: { profileId: string | null; initial?: EditorState['initial']; onClose(): void }) {
  const existing = useMemo(() => appStore.get().profiles.find((p) => p.id === props.profileId), [props.profileId]);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(props.initial?.fields ?? existing));
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const [urlNote, setUrlNote] = useState<string | null>(null);
  const [password, setPassword] = useState(typeof props.initial?.password === 'string' ? props.initial.password : '');
  const [passwordTouched, setPasswordTouched] = useState(typeof props.initial?.password === 'string');
  const [clearPassword, setClearPassword] = useState(props.initial?.password === null && Boolean(existing?.hasPassword));
  // Whom the typed (or pasted, or saved) password is for: it never follows a change of server or user.
  const [passwordOwner, setPasswordOwner] = useState<string | null>(() =>
    typeof props.initial?.password === 'string' ? credentialOwner(draftFrom(props.initial.fields)) : existing?.hasPassword ? credentialOwner(draftFrom(existing)) : null,
  );
  const [sshDraft, setSshDraft] = useState(() => sshDraftFrom((props.initial?.fields ?? existing)?.ssh));
  const [sshPassword, setSshPassword] = useState<SecretDraft>({ value: '', touched: false });
  const [sshPassphrase, setSshPassphrase] = useState<SecretDraft>({ value: '', touched: false });
  const sshSecrets = () => ({
    ...(sshPassword.touched ? { sshPassword: sshPassword.value } : {}),
    ...(sshPassphrase.touched ? { sshPassphrase: sshPassphrase.value } : {}),
  });
  const withSsh = (fields: ConnectionFieldsInput): ConnectionFieldsInput => (network ? { ...fields, ssh: sshFieldsFrom(sshDraft).settings } : fields);
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const network = !isFileEngine(draft.engine);

  const applyUrl = (text: string) => {
    setUrl(text);
    if (text.trim() === '') {
      setUrlError(null);
      setUrlNote(null);
      return;
    }
    try {
      const parsed = parseConnectionUrl(text);
      setDraft((d) => ({ ...draftFrom(parsed.fields), name: d.name || parsed.fields.name, production: d.production, readOnly: parsed.fields.readOnly ?? d.readOnly, color: d.color }));
      if (parsed.password !== undefined) {
        setPassword(parsed.password);
        setPasswordTouched(true);
        setPasswordOwner(credentialOwner(draftFrom(parsed.fields)));
      }
      setUrlError(null);
      setUrlNote(parsed.ignoredParams.length ? `Not used: ${parsed.ignoredParams.join(', ')}` : 'Fields filled in from the URL.');
    } catch (err) {
      setUrlError(err instanceof ConnectionUrlError ? err.message : String(err));
      setUrlNote(null);
    }
  };

  const passwordState = { password, typed: passwordTouched, owner: passwordOwner, forget: clearPassword };
  const staleFor = network && passwordIsStale(passwordState, draft) ? passwordOwner!.split('|')[1]! : null;
  const passwordChange = (): string | null | undefined => (network ? passwordToSend(passwordState, draft) : undefined);

  const validate = (): string | null => {
    if (draft.name.trim() === '') return 'Give the connection a name.';
    if (isFileEngine(draft.engine) && draft.file.trim() === '') return 'Choose the SQLite file.';
    if (network && draft.port !== '' && !/^\d+$/.test(draft.port)) return 'The port must be a number.';
    if (network) {
      const nodes = parseNodeList(draft.nodes, Number(draft.port) || defaultPorts[draft.engine]);
      if (nodes.error) return `Further nodes: ${nodes.error}`;
      const ssh = sshFieldsFrom(sshDraft);
      if (ssh.error) return ssh.error;
    }
    return null;
  };

  const runTest = async () => {
    const problem = validate();
    if (problem) return setFormError(problem);
    setFormError(null);
    setTest({ status: 'testing' });
    try {
      const r = await client.call('connections.test', { fields: withSsh(fieldsFrom(draft, existing)) as never, password: passwordChange(), ...sshSecrets(), ...(existing ? { id: existing.id } : {}) });
      setTest({ status: 'ok', text: `Connected to ${r.serverInfo.versionText.split(' on ')[0]} at ${r.endpoint} in ${r.ms} ms.` });
    } catch (err) {
      setTest({ status: 'failed', error: errorOf(err) });
    }
  };

  const save = async (connect: boolean) => {
    const problem = validate();
    if (problem) return setFormError(problem);
    setSaving(true);
    try {
      const saved = await saveProfile(existing && existing.source !== 'environment' ? existing.id : null, withSsh(fieldsFrom(draft, existing)), passwordChange(), sshSecrets());
      props.onClose();
      toast({ level: 'success', title: `Saved “${saved.name}”` });
      if (connect) void openConnection(saved.id, sshPassphrase.touched && sshPassphrase.value !== '' ? { sshPassphrase: sshPassphrase.value } : {});
    } catch (err) {
      setFormError(errorOf(err).message);
    } finally {
      setSaving(false);
    }
  };

  const id = (name: string) => `conn-${name}`;
  return (
    <Dialog
      title={existing ? `Edit ${existing.name}` : 'New connection'}
      onClose={props.onClose}
      wide
      footer={
        <>
          <button className="btn" onClick={() => void runTest()} disabled={test.status === 'testing'}>
            {test.status === 'testing' ? 'Testing…' : 'Test'}
          </button>
          <span className="spacer" />
          <button className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button className="btn" onClick={() => void save(false)} disabled={saving}>
            Save
          </button>
          <button className="btn btn-primary" onClick={() => void save(true)} disabled={saving}>
            Save and connect
          </button>
        </>
      }
    >
      <form className="form" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-wide">
          <label htmlFor={id('url')}>Connection URL</label>
          <input
            id={id('url')}
            value={url}
            placeholder="postgres://user@host:5432/db?sslmode=require · mysql:// · mariadb:// · sqlite:/path/file.db"
            onChange={(e) => applyUrl(e.target.value)}
            aria-invalid={urlError !== null}
            aria-describedby={id('url-help')}
            spellCheck={false}
            data-autofocus={existing ? undefined : true}
          />
          <small id={id('url-help')} className={urlError ? 'field-error' : 'field-help'} role={urlError ? 'alert' : undefined}>
            {urlError ?? urlNote ?? 'Paste a URL to fill in the fields below, or fill them in by hand.'}
          </small>
        </div>

        <div className="field">
          <label htmlFor={id('name')}>Name</label>
          <input id={id('name')} value={draft.name} onChange={(e) => set('name', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={id('engine')}>Database</label>
          <select id={id('engine')} value={draft.engine} onChange={(e) => set('engine', e.target.value as EngineKind)}>
            {engineKinds.map((k) => (
              <option key={k} value={k}>
                {engineLabels[k]}
              </option>
            ))}
          </select>
        </div>

        {network ? (
          <>
            <div className="field">
              <label htmlFor={id('host')}>Host</label>
              <input id={id('host')} value={draft.host} placeholder="localhost" onChange={(e) => set('host', e.target.value)} spellCheck={false} />
            </div>
            <div className="field field-narrow">
              <label htmlFor={id('port')}>Port</label>
              <input id={id('port')} value={draft.port} placeholder={String(defaultPorts[draft.engine])} inputMode="numeric" onChange={(e) => set('port', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={id('user')}>User</label>
              <input id={id('user')} value={draft.user} onChange={(e) => set('user', e.target.value)} spellCheck={false} autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={id('password')}>Password</label>
              <input
                id={id('password')}
                type="password"
                value={staleFor ? '' : password}
                disabled={clearPassword}
                placeholder={staleFor ? `Type the password for ${draft.user || 'this user'}` : existing?.hasPassword && !passwordTouched ? 'Saved — type to replace' : 'Not set'}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setPasswordTouched(true);
                  setPasswordOwner(credentialOwner(draft));
                }}
                aria-describedby={staleFor ? id('password-stale') : undefined}
                autoComplete="new-password"
              />
              {staleFor && (
                <small id={id('password-stale')} className="field-help field-warning" role="status">
                  The password was for {staleFor}: it is not sent to another server or user.
                </small>
              )}
              {existing?.hasPassword && (
                <label className="checkbox">
                  <input type="checkbox" checked={clearPassword} onChange={(e) => setClearPassword(e.target.checked)} /> Forget the saved password
                </label>
              )}
            </div>
            <div className="field field-wide">
              <label htmlFor={id('nodes')}>{furtherHosts[draft.engine] === 'fallbacks' ? 'Fallback servers' : 'Further cluster nodes'}</label>
              <input id={id('nodes')} value={draft.nodes} placeholder="host2:port, host3:port" onChange={(e) => set('nodes', e.target.value)} spellCheck={false} aria-describedby={id('nodes-help')} />
              <small id={id('nodes-help')} className="field-help">
                {furtherHosts[draft.engine] === 'fallbacks'
                  ? 'Tried in order after the host above when it cannot be reached.'
                  : 'Galera: the connection uses the first node that is Synced in the primary component, and moves to another when its node fails.'}
              </small>
            </div>
            <div className="field field-wide">
              <label htmlFor={id('database')}>Database name</label>
              <input id={id('database')} value={draft.database} onChange={(e) => set('database', e.target.value)} spellCheck={false} />
            </div>
            <fieldset className="field-wide fieldset">
              <legend>TLS</legend>
              <div className="field">
                <label htmlFor={id('sslmode')}>sslmode</label>
                <select id={id('sslmode')} value={draft.sslMode} onChange={(e) => set('sslMode', e.target.value as SslMode)}>
                  {sslModes.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
                <small className="field-help">{sslHelp[draft.sslMode]}</small>
              </div>
              <PathField id={id('ca')} className="field" label="CA certificate file" value={draft.caFile} placeholder="/path/to/root.crt" browse={{ kind: 'open-file', filters: CERT_FILTERS }} onChange={(v) => set('caFile', v)} />
              <PathField id={id('cert')} className="field" label="Client certificate file" value={draft.certFile} browse={{ kind: 'open-file', filters: CERT_FILTERS }} onChange={(v) => set('certFile', v)} />
              <PathField id={id('key')} className="field" label="Client key file" value={draft.keyFile} browse={{ kind: 'open-file', filters: CERT_FILTERS }} onChange={(v) => set('keyFile', v)} />
            </fieldset>
            <SshSection
              draft={sshDraft}
              onChange={setSshDraft}
              password={sshPassword}
              onPassword={setSshPassword}
              passphrase={sshPassphrase}
              onPassphrase={setSshPassphrase}
              hasSavedPassword={existing?.hasSshPassword ?? false}
              hasSavedPassphrase={existing?.hasSshPassphrase ?? false}
            />
          </>
        ) : (
          <PathField
            id={id('file')}
            label="Database file"
            value={draft.file}
            placeholder="/home/me/data/app.sqlite"
            browse={{ kind: 'open-file', filters: [{ name: 'SQLite databases', extensions: ['sqlite', 'sqlite3', 'db', 'db3'] }, { name: 'All files', extensions: ['*'] }] }}
            onChange={(v) => set('file', v)}
          />
        )}

        <fieldset className="field-wide fieldset">
          <legend>Behaviour</legend>
          <div className="field field-narrow">
            <label htmlFor={id('timeout')}>Connect timeout (s)</label>
            <input id={id('timeout')} value={draft.connectTimeoutSeconds} inputMode="decimal" onChange={(e) => set('connectTimeoutSeconds', e.target.value)} />
          </div>
          {network && (
            <div className="field field-narrow">
              <label htmlFor={id('pool')}>Pool size</label>
              <input
                id={id('pool')}
                value={draft.poolSize}
                inputMode="numeric"
                placeholder={`${(appStore.get().info?.cpuCount ?? 1) * 2 + 1} (2 × cores + 1)`}
                onChange={(e) => set('poolSize', e.target.value)}
              />
            </div>
          )}
          <div className="field field-narrow">
            <label htmlFor={id('retries')}>Connect attempts</label>
            <input id={id('retries')} value={draft.retryAttempts} inputMode="numeric" onChange={(e) => set('retryAttempts', e.target.value)} />
          </div>
          <div className="field field-narrow">
            <label htmlFor={id('delay')}>Seconds between attempts</label>
            <input id={id('delay')} value={draft.retryDelay} inputMode="decimal" onChange={(e) => set('retryDelay', e.target.value)} />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={draft.production} onChange={(e) => setDraft((d) => ({ ...d, production: e.target.checked, color: e.target.checked && d.color === 'none' ? 'red' : d.color }))} />
            Production — ask before changes, show in colour
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={draft.readOnly} onChange={(e) => set('readOnly', e.target.checked)} />
            Read-only — the server refuses writes on every session
          </label>
          <div className="field" role="radiogroup" aria-label="Colour">
            <span className="label">Colour</span>
            <div className="swatches">
              {connectionColors.map((c) => (
                <button
                  key={c}
                  type="button"
                  role="radio"
                  aria-checked={draft.color === c}
                  aria-label={c}
                  title={c}
                  className={`swatch color-${c}${draft.color === c ? ' selected' : ''}`}
                  onClick={() => set('color', c)}
                />
              ))}
            </div>
          </div>
        </fieldset>

        {formError && (
          <p className="form-error field-wide" role="alert">
            {formError}
          </p>
        )}
        {test.status === 'ok' && (
          <p className="test-result test-ok field-wide" role="status">
            ✓ {test.text}
          </p>
        )}
        {test.status === 'failed' && (
          <div className="test-result test-failed field-wide" role="alert">
            <p>
              <strong>Test failed{failureLabel(test.error) ? ` — ${failureLabel(test.error)}` : ''}:</strong> {test.error.message}
            </p>
            <RemedyLine remedy={test.error.detail?.remedy} />
            <button
              type="button"
              className="btn btn-small"
              title="Run every check step by step (DNS, TCP, TLS, login, privileges…) on these settings, saved or not"
              onClick={() => openDraftDiagnostics({ fields: withSsh(fieldsFrom(draft, existing)), password: passwordChange(), ...sshSecrets(), ...(existing ? { id: existing.id } : {}) })}
            >
              Diagnose
            </button>
          </div>
        )}
      </form>
    </Dialog>
  );
}

/** The class the core gave a failed Test, in words. */
function failureLabel(error: IpcError): string | null {
  const cls = error.detail?.failureClass;
  return typeof cls === 'string' && cls in diagnosticClassLabels && cls !== 'unknown' ? diagnosticClassLabels[cls as DiagnosticClass] : null;
}

const sslHelp: Record<SslMode, string> = {
  disable: 'No encryption.',
  prefer: 'Encrypt when the server can; no certificate check.',
  require: 'Always encrypt; checks the certificate only when a CA file is given.',
  'verify-ca': 'Encrypt and check the certificate chain against the CA (not the host name).',
  'verify-full': 'Encrypt, check the chain and that the certificate names this host.',
};
