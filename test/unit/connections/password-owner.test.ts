import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { credentialOwner, passwordIsStale, passwordToSend, type CredentialTarget, type PasswordState } from '../../../features/connections/renderer/password-owner';

/** The editor's fields after pasting a URL (as draftFrom fills them). */
function pasted(url: string): { target: CredentialTarget; password: string | undefined } {
  const p = parseConnectionUrl(url);
  return { target: { engine: p.fields.engine, host: p.fields.host ?? '', port: p.fields.port ? String(p.fields.port) : '', user: p.fields.user ?? '' }, password: p.password };
}

describe('a password belongs to one server and user', () => {
  it('is not sent to the host of a second URL pasted without a password', () => {
    const first = pasted('postgres://app:s3cret@db1.example.com:5432/shop');
    const state: PasswordState = { password: first.password!, typed: true, owner: credentialOwner(first.target), forget: false };
    expect(passwordToSend(state, first.target)).toBe('s3cret');
    const second = pasted('postgres://app@db2.example.com:5432/shop');
    expect(second.password).toBeUndefined();
    expect(passwordIsStale(state, second.target)).toBe(true);
    expect(passwordToSend(state, second.target)).toBeNull();
  });

  it('does not follow a change of user, port or engine either; going back makes it usable again', () => {
    const target: CredentialTarget = { engine: 'mariadb', host: 'db1', port: '', user: 'app' };
    const state: PasswordState = { password: 'pw', typed: true, owner: credentialOwner(target), forget: false };
    expect(passwordToSend(state, { ...target, user: 'root' })).toBeNull();
    expect(passwordToSend(state, { ...target, port: '3307' })).toBeNull();
    expect(passwordToSend(state, { ...target, engine: 'postgresql' })).toBeNull();
    // The default port written out, the host's case: still the same server.
    expect(passwordToSend(state, { ...target, port: '3306', host: 'DB1' })).toBe('pw');
    expect(passwordToSend(state, target)).toBe('pw');
  });

  it('forgets a saved password when the profile is saved for another server, keeps it otherwise', () => {
    const saved: CredentialTarget = { engine: 'postgresql', host: 'db1', port: '5432', user: 'app' };
    const state: PasswordState = { password: '', typed: false, owner: credentialOwner(saved), forget: false };
    expect(passwordToSend(state, saved)).toBeUndefined();
    expect(passwordToSend(state, { ...saved, host: 'db2' })).toBeNull();
    // No password at all: nothing to go stale.
    expect(passwordIsStale({ password: '', typed: false, owner: null, forget: false }, { ...saved, host: 'db2' })).toBe(false);
  });
});
