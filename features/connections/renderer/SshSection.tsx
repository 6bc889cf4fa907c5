import { sshAuthMethodLabels, sshAuthMethods, formatSshDestination, parseSshDestination, SshSettings, type SshAuthMethod, type SshSettingsInput } from '../../../shared/model/ssh';
import { PathField } from '../../../renderer/src/ui/PathField';

/** The editor's SSH fields as typed (numbers and the jump list as text). */
export interface SshDraft {
  enabled: boolean;
  host: string;
  port: string;
  user: string;
  auth: SshAuthMethod;
  keyFile: string;
  /** `[user@]host[:port]` jump hosts, comma or line separated, in order. */
  jumps: string;
  useSshConfig: boolean;
  knownHostsFile: string;
  keepaliveSeconds: string;
  rememberPassphrase: boolean;
}

/** A secret field: what was typed, and whether it was touched (untouched keeps the saved one). */
export interface SecretDraft {
  value: string;
  touched: boolean;
}

export function sshDraftFrom(s: SshSettingsInput | undefined): SshDraft {
  const v = SshSettings.parse(s ?? {});
  return {
    enabled: v.enabled,
    host: v.host,
    port: v.port !== undefined ? String(v.port) : '',
    user: v.user ?? '',
    auth: v.auth,
    keyFile: v.keyFile ?? '',
    jumps: v.jumps.map(formatSshDestination).join(', '),
    useSshConfig: v.useSshConfig,
    knownHostsFile: v.knownHostsFile ?? '',
    keepaliveSeconds: String(v.keepaliveIntervalMs / 1000),
    rememberPassphrase: v.rememberPassphrase,
  };
}

/** Draft → the profile's SSH settings, or the reason it cannot be saved. */
export function sshFieldsFrom(d: SshDraft): { settings: SshSettingsInput; error: string | null } {
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const jumps = [];
  for (const part of d.jumps.split(/[\s,]+/).filter(Boolean)) {
    const r = parseSshDestination(part);
    if (!r.endpoint) return { settings: {}, error: `Jump hosts: ${r.error}` };
    jumps.push(r.endpoint);
  }
  if (d.enabled && d.host.trim() === '') return { settings: {}, error: 'Give the SSH host (the bastion), or turn SSH off.' };
  if (d.port !== '' && !/^\d+$/.test(d.port)) return { settings: {}, error: 'The SSH port must be a number.' };
  if (d.enabled && d.auth === 'key' && d.keyFile.trim() === '') return { settings: {}, error: 'Choose the private key file, or another SSH login method.' };
  const keepalive = Number(d.keepaliveSeconds);
  return {
    settings: {
      enabled: d.enabled,
      host: d.host.trim(),
      ...(d.port !== '' ? { port: Number(d.port) } : {}),
      ...(opt(d.user) ? { user: opt(d.user) } : {}),
      auth: d.auth,
      ...(opt(d.keyFile) ? { keyFile: opt(d.keyFile) } : {}),
      jumps,
      useSshConfig: d.useSshConfig,
      ...(opt(d.knownHostsFile) ? { knownHostsFile: opt(d.knownHostsFile) } : {}),
      keepaliveIntervalMs: Number.isFinite(keepalive) && keepalive >= 0 ? Math.round(keepalive * 1000) : 10_000,
      rememberPassphrase: d.rememberPassphrase,
    },
    error: null,
  };
}

/**
 * The connection editor's SSH section: off by default; the bastion, how to log in to it, jump hosts
 * (ProxyJump), ~/.ssh/config, known_hosts and keepalive. Secrets are typed here and go to the core's
 * secret store; the renderer only ever learns whether one is saved.
 */
export function SshSection(props: {
  draft: SshDraft;
  onChange(d: SshDraft): void;
  password: SecretDraft;
  onPassword(s: SecretDraft): void;
  passphrase: SecretDraft;
  onPassphrase(s: SecretDraft): void;
  hasSavedPassword: boolean;
  hasSavedPassphrase: boolean;
}) {
  const d = props.draft;
  const set = <K extends keyof SshDraft>(key: K, value: SshDraft[K]) => props.onChange({ ...d, [key]: value });
  const id = (name: string) => `conn-ssh-${name}`;
  return (
    <fieldset className="field-wide fieldset">
      <legend>SSH tunnel</legend>
      <label className="check field-wide">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Connect through an SSH server (bastion)
      </label>
      {d.enabled && (
        <>
          <div className="field">
            <label htmlFor={id('host')}>SSH host</label>
            <input id={id('host')} value={d.host} placeholder="bastion.example.com or a ~/.ssh/config alias" onChange={(e) => set('host', e.target.value)} spellCheck={false} />
          </div>
          <div className="field field-narrow">
            <label htmlFor={id('port')}>SSH port</label>
            <input id={id('port')} value={d.port} placeholder="22" inputMode="numeric" onChange={(e) => set('port', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={id('user')}>SSH user</label>
            <input id={id('user')} value={d.user} placeholder="from ~/.ssh/config, or yours" onChange={(e) => set('user', e.target.value)} spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor={id('auth')}>SSH login</label>
            <select id={id('auth')} value={d.auth} onChange={(e) => set('auth', e.target.value as SshAuthMethod)}>
              {sshAuthMethods.map((m) => (
                <option key={m} value={m}>
                  {sshAuthMethodLabels[m]}
                </option>
              ))}
            </select>
          </div>
          {(d.auth === 'key' || d.auth === 'agent') && (
            <PathField id={id('key')} label={`Private key file${d.auth === 'agent' ? ' (optional, besides the agent)' : ''}`} value={d.keyFile} placeholder="/home/me/.ssh/id_ed25519" browse={{ kind: 'open-file', title: 'SSH private key file' }} onChange={(v) => set('keyFile', v)} />
          )}
          {d.auth === 'key' && (
            <div className="field field-wide">
              <label htmlFor={id('passphrase')}>Key passphrase</label>
              <input
                id={id('passphrase')}
                type="password"
                value={props.passphrase.value}
                autoComplete="off"
                placeholder={props.hasSavedPassphrase && !props.passphrase.touched ? 'Saved — type to replace' : 'Asked for when needed'}
                onChange={(e) => props.onPassphrase({ value: e.target.value, touched: true })}
              />
              <label className="check">
                <input type="checkbox" checked={d.rememberPassphrase} onChange={(e) => set('rememberPassphrase', e.target.checked)} /> Remember the passphrase (in the secret store)
              </label>
            </div>
          )}
          {(d.auth === 'password' || d.auth === 'keyboard-interactive') && (
            <div className="field field-wide">
              <label htmlFor={id('password')}>SSH password</label>
              <input
                id={id('password')}
                type="password"
                value={props.password.value}
                autoComplete="new-password"
                placeholder={props.hasSavedPassword && !props.password.touched ? 'Saved — type to replace' : 'Asked for when needed'}
                onChange={(e) => props.onPassword({ value: e.target.value, touched: true })}
              />
            </div>
          )}
          <div className="field field-wide">
            <label htmlFor={id('jumps')}>Jump hosts (ProxyJump), in order</label>
            <input id={id('jumps')} value={d.jumps} placeholder="ops@jump1.example.com:22, jump2" onChange={(e) => set('jumps', e.target.value)} spellCheck={false} />
          </div>
          <PathField id={id('known')} label="known_hosts file" value={d.knownHostsFile} placeholder="~/.ssh/known_hosts" browse={{ kind: 'open-file' }} onChange={(v) => set('knownHostsFile', v)} />
          <div className="field field-narrow">
            <label htmlFor={id('keepalive')}>Keepalive (s)</label>
            <input id={id('keepalive')} value={d.keepaliveSeconds} inputMode="decimal" onChange={(e) => set('keepaliveSeconds', e.target.value)} />
          </div>
          <label className="check field-wide">
            <input type="checkbox" checked={d.useSshConfig} onChange={(e) => set('useSshConfig', e.target.checked)} /> Use ~/.ssh/config (HostName, Port, User, IdentityFile, ProxyJump…)
          </label>
        </>
      )}
    </fieldset>
  );
}
