import { describe, expect, it } from 'vitest';
import { formatSshDestination, parseSshDestination, SshSettings } from '../../../shared/model/ssh';

describe('[user@]host[:port], as the CLI and the jump-host list take it', () => {
  it('reads user, host and port, IPv6 in brackets, a user that contains @', () => {
    expect(parseSshDestination('bastion')).toEqual({ endpoint: { host: 'bastion' }, error: null });
    expect(parseSshDestination('ops@bastion.example.com:2222')).toEqual({ endpoint: { host: 'bastion.example.com', port: 2222, user: 'ops' }, error: null });
    expect(parseSshDestination('[::1]:22')).toEqual({ endpoint: { host: '::1', port: 22 }, error: null });
    expect(parseSshDestination('me@corp.example@jump')).toEqual({ endpoint: { host: 'jump', user: 'me@corp.example' }, error: null });
  });

  it('says what is wrong', () => {
    expect(parseSshDestination('bastion:99999').error).toBe('The port of "bastion:99999" must be a number between 1 and 65535.');
    expect(parseSshDestination('@bastion').error).toBe('"@bastion" is not [user@]host[:port].');
    expect(parseSshDestination('two words').error).toBe('"two words" is not [user@]host[:port].');
    expect(parseSshDestination('').error).toBe('"" is not [user@]host[:port].');
  });

  it('writes them back the way it reads them', () => {
    for (const text of ['bastion', 'ops@bastion.example.com:2222', 'root@[::1]:2200']) expect(formatSshDestination(parseSshDestination(text).endpoint!)).toBe(text);
  });

  it('a profile’s SSH section is off unless enabled, with agent login and a 10 s keepalive', () => {
    expect(SshSettings.parse({})).toEqual({ enabled: false, host: '', auth: 'agent', jumps: [], useSshConfig: true, keepaliveIntervalMs: 10_000, rememberPassphrase: false });
  });
});
