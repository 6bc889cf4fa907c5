import { z } from 'zod';
import { command, event } from '../define';
import { ConnectionFields, ConnectionProfile } from '../../model/connection';
import { ServerInfo } from '../../model/schema';
import { IpcError } from '../errors';
import { DiagnosticClass, Remedy, ServiceFound } from '../../model/diagnostics';
import { SshQuestion } from '../../model/ssh';

export const ProfileId = z.string().min(1).max(64);

/**
 * `password`: a string sets it, null clears it, absent keeps what is stored. Passwords go
 * renderer → core only; nothing ever sends one back.
 */
const PasswordChange = z.string().max(4096).nullable().optional();

export const OpenConnection = z.object({
  connectionId: z.string(),
  profileId: z.string(),
  serverInfo: ServerInfo,
  /** The host:port actually used (a cluster profile may land on any of its nodes). */
  endpoint: z.string(),
});
export type OpenConnection = z.infer<typeof OpenConnection>;

export const connectionCommands = {
  'connections.list': command('Saved profiles (and the environment profile), passwords as set/not set.', z.object({}).strict(), z.array(ConnectionProfile)),
  'connections.save': command(
    'Creates (no id) or replaces a profile. SSH secrets like the password; the passphrase is kept only when the profile says rememberPassphrase.',
    z.object({ id: ProfileId.optional(), fields: ConnectionFields, password: PasswordChange, sshPassword: PasswordChange, sshPassphrase: PasswordChange }).strict(),
    ConnectionProfile,
  ),
  'connections.duplicate': command('Copies a profile, its password included, under a new name.', z.object({ id: ProfileId }).strict(), ConnectionProfile),
  'connections.delete': command('Deletes a profile and its stored password, closing it if open.', z.object({ id: ProfileId }).strict(), z.object({ deleted: z.boolean() })),
  'connections.importEnv': command(
    'Creates a profile from the text of a .env file with the DB_* variables.',
    z.object({ text: z.string().max(1_000_000), name: z.string().max(200).optional() }).strict(),
    ConnectionProfile,
  ),
  'connections.test': command(
    'Connects once with a draft (or saved) profile, reads the server info, disconnects.',
    z
      .object({
        fields: ConnectionFields,
        password: PasswordChange,
        sshPassword: PasswordChange,
        sshPassphrase: PasswordChange,
        /** When testing an edited saved profile: use its stored password unless a new one is given. */
        id: ProfileId.optional(),
      })
      .strict(),
    z.object({ serverInfo: ServerInfo, endpoint: z.string(), ms: z.number() }),
  ),
  'connections.open': command(
    "Opens a saved profile in this window, retrying by the profile's retry policy; progress arrives as connection.attempt events. Cancelling the call (its AbortSignal) stops waiting and answers cancelled; a connection that still opens is closed.",
    z.object({ id: ProfileId, sshPassphrase: z.string().max(4096).optional() }).strict(),
    OpenConnection,
  ),
  'connections.trustHostKey': command(
    'Trusts an SSH host key this window was just shown (an ssh-host-key-unknown failure): once (this window, until it closes) or always (written to known_hosts). A changed key can never be trusted here.',
    z
      .object({
        host: z.string().min(1).max(255),
        port: z.number().int().min(1).max(65535),
        fingerprint: z.string().max(50).regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
        always: z.boolean(),
      })
      .strict(),
    z.object({ trusted: z.boolean(), knownHostsFile: z.string().optional() }),
  ),
  'connections.answerSsh': command(
    'Answers an ssh.question of this window (a passphrase, the SSH password, keyboard-interactive prompts); null answers cancel the login. `remember` keeps a passphrase or password in the secret store once it worked.',
    z
      .object({
        questionId: z.string().min(1).max(64),
        answers: z.array(z.string().max(4096)).max(16).nullable(),
        remember: z.boolean().default(false),
      })
      .strict(),
    z.object({ accepted: z.boolean() }),
  ),
  'connections.close': command('Closes an open connection of this window.', z.object({ id: ProfileId }).strict(), z.object({ closed: z.boolean() })),
};

export const connectionEvents = {
  'connection.attempt': event(
    'One attempt of opening a connection: trying, failed (with the error and when the next try comes), connected or cancelled.',
    z.object({
      profileId: z.string(),
      attempt: z.number().int(),
      maxAttempts: z.number().int(),
      status: z.enum(['trying', 'failed', 'connected', 'cancelled']),
      error: IpcError.optional(),
      /** A failed attempt's class, from the driver error and, when that is ambiguous, a quick probe of the port. */
      failureClass: DiagnosticClass.optional(),
      /** What answered on the port, when the class is `wrong-service`. */
      found: ServiceFound.optional(),
      /** What to do about the class, in one line (the words Diagnose gives). */
      remedy: Remedy.optional(),
      nextAttemptInMs: z.number().optional(),
    }),
  ),
  'connection.failover': event(
    'A cluster connection left its node (dead, out of the primary component, not synced…) and moved to another, or found none. Statements in flight on the old node were reported failed, never retried.',
    z.object({
      connectionId: z.string(),
      /** The node left (null: the connection had no usable node and found one again). */
      from: z.string().nullable(),
      /** The node now used (null: no node of the cluster is usable; DB Desk keeps checking). */
      to: z.string().nullable(),
      /** Why, in words: "the server closed the connection", "not in the primary component (wsrep_cluster_status=non-Primary)"… */
      reason: z.string(),
      /** Epoch milliseconds. */
      at: z.number(),
    }),
  ),
  'connection.preparing': event(
    'Work before the first attempt of opening a connection, with its progress: the demo database being written on the first start (rows of its events table).',
    z.object({ profileId: z.string(), step: z.enum(['demo-database']), done: z.number().int().min(0), total: z.number().int().min(0) }),
  ),
  'connection.capped': event(
    'The server granted fewer connections than the pool size (an account or server connection limit): the pool works within them and the rest wait. Sent once per open connection.',
    z.object({
      connectionId: z.string(),
      /** Connections the server granted (the pool keeps at most this many). */
      granted: z.number().int(),
      poolSize: z.number().int(),
      scope: z.enum(['account', 'database', 'server']),
      /** What happened and what the app does about it, in one sentence. */
      message: z.string(),
      /** What would lift the limit, in the engine's words. */
      remedy: z.string(),
      /** The server's refusal as it said it. */
      serverMessage: z.string(),
    }),
  ),
  'ssh.question': event(
    'An SSH login needs the person while a connection opens (or its tunnel reconnects): answer with connections.answerSsh. The time spent answering does not count against the connect timeout.',
    z.object({ questionId: z.string(), profileId: z.string().optional(), question: SshQuestion }),
  ),
  'ssh.questionClosed': event('The core stopped waiting for an ssh.question (the login was cancelled, failed or timed out): close its dialog.', z.object({ questionId: z.string() })),
  'connection.lost': event(
    'An open connection stopped working (server gone, network dropped).',
    z.object({
      connectionId: z.string(),
      error: IpcError,
      /** True when the loss heals itself: a dropped SSH tunnel, opened again by the next use. The connection stays open. */
      reconnects: z.boolean().optional(),
    }),
  ),
};
