import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import type { LockHolder, LockStrategy } from '../../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection, MigrationTarget } from '../migration-adapter';
import { CoreError } from '../../../../electron/core/errors';
import { LOCK_TABLE, type Audit } from '../history/history-store';

/** How long a lease lasts without a heartbeat. A holder renews it four times per period. */
export const LEASE_TTL_MS = 60_000;
const POLL_MS = 500;

export type AcquireResult = { ok: true } | { ok: false; holder: LockHolder | null; cancelled: boolean };

/** The lock one run holds from its first statement to its last. */
export interface RunLock {
  readonly strategy: LockStrategy;
  acquire(waitMs: number, signal: AbortSignal | undefined, onWait: (holder: LockHolder | null) => void): Promise<AcquireResult>;
  /** Between statements: renews a lease, and throws when the lock is no longer ours. */
  check(): Promise<void>;
  release(): Promise<void>;
}

export function lockNameFor(target: MigrationTarget): string {
  return `dbdesk_migrations:${target.schema ?? target.database}`;
}

export function describeSelf(audit: Audit): string {
  return `${audit.osUser}@${audit.clientHost} (pid ${audit.pid}, DB Desk ${audit.appVersion}${audit.dbUser ? `, as ${audit.dbUser}` : ''})`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Whether a process on this machine is gone (so its lease is stale). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface LockRow {
  token: string | null;
  holder: string | null;
  session_id: string | null;
  host: string | null;
  pid: number | null;
  acquired_at: string | null;
  expires_at_ms: number | null;
  now_ms: number;
}

async function ensureLockTable(conn: MigrationConnection, adapter: MigrationAdapter): Promise<void> {
  for (const ddl of adapter.lockTableDdl(LOCK_TABLE)) await conn.query(CompiledQuery.raw(ddl));
  const db = adapter.compiler;
  const { rows } = await conn.query(db.selectFrom(LOCK_TABLE).select('id').where('id', '=', 1).compile());
  if (rows.length === 0) {
    // Two runners may both find no row: the second insert fails on the primary key, which is fine.
    await conn.query(db.insertInto(LOCK_TABLE).values({ id: 1 }).compile()).catch(() => undefined);
  }
}

async function readLockRow(conn: MigrationConnection, adapter: MigrationAdapter): Promise<LockRow | null> {
  const db = adapter.compiler;
  const { rows } = await conn.query<Record<string, unknown>>(
    db.selectFrom(LOCK_TABLE).select(['token', 'holder', 'session_id', 'host', 'pid', 'acquired_at', 'expires_at_ms', adapter.nowMs().as('now_ms')]).where('id', '=', 1).compile(),
  );
  const r = rows[0];
  if (!r) return null;
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return { token: s(r.token), holder: s(r.holder), session_id: s(r.session_id), host: s(r.host), pid: n(r.pid), acquired_at: s(r.acquired_at), expires_at_ms: n(r.expires_at_ms), now_ms: Number(r.now_ms) };
}

async function tableExists(conn: MigrationConnection, adapter: MigrationAdapter): Promise<boolean> {
  return (await adapter.listTables(conn, [LOCK_TABLE])).some((t) => t.schema === null);
}

function leaseHolder(row: LockRow, localHost: string): LockHolder | null {
  if (!row.token) return null;
  const expired = row.expires_at_ms !== null && row.expires_at_ms < row.now_ms;
  const gone = row.host === localHost && row.pid !== null && processGone(row.pid);
  return {
    holder: row.holder ?? 'unknown',
    ref: row.token,
    since: row.acquired_at,
    strategy: 'lease-row',
    stale: expired || gone,
    releaseEffect: gone ? 'deletes the lock row; the process that held it has exited' : expired ? 'deletes the lock row; its lease ran out without a heartbeat' : 'deletes the lock row; if its runner is still working, two runners could then migrate at once',
  };
}

/** PostgreSQL advisory lock or MySQL GET_LOCK, held by the run's own connection; a row says who. */
class SessionRunLock implements RunLock {
  private held = false;
  private readonly token = randomUUID();
  constructor(
    readonly strategy: LockStrategy,
    private readonly conn: MigrationConnection,
    private readonly adapter: MigrationAdapter,
    private readonly lockName: string,
    private readonly audit: Audit,
  ) {}

  async acquire(waitMs: number, signal: AbortSignal | undefined, onWait: (holder: LockHolder | null) => void): Promise<AcquireResult> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await this.adapter.trySessionLock(this.conn, this.lockName)) {
        this.held = true;
        await this.writeInfo();
        return { ok: true };
      }
      const holder = await sessionHolder(this.conn, this.adapter, this.strategy, this.lockName);
      if (signal?.aborted) return { ok: false, holder, cancelled: true };
      if (Date.now() >= deadline) return { ok: false, holder, cancelled: false };
      onWait(holder);
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
    }
  }

  /** The lock itself is anonymous to other sessions; this row tells them who and since when. */
  private async writeInfo(): Promise<void> {
    await ensureLockTable(this.conn, this.adapter);
    await this.conn.query(
      this.adapter.compiler
        .updateTable(LOCK_TABLE)
        .set({ token: this.token, holder: describeSelf(this.audit), session_id: this.conn.sessionId, host: this.audit.clientHost, pid: this.audit.pid, acquired_at: new Date().toISOString(), expires_at_ms: null })
        .where('id', '=', 1)
        .compile(),
    );
  }

  async check(): Promise<void> {}

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.conn.query(this.adapter.compiler.updateTable(LOCK_TABLE).set({ token: null, holder: null, session_id: null }).where('id', '=', 1).where('token', '=', this.token).compile()).catch(() => undefined);
    await this.adapter.releaseSessionLock(this.conn, this.lockName);
  }
}

async function sessionHolder(conn: MigrationConnection, adapter: MigrationAdapter, strategy: LockStrategy, lockName: string): Promise<LockHolder | null> {
  const s = await adapter.sessionLockHolder(conn, lockName);
  if (!s) return null;
  const row = (await tableExists(conn, adapter)) ? await readLockRow(conn, adapter) : null;
  const described = row?.token && row.session_id === s.sessionId;
  return {
    holder: described ? `${row!.holder} — ${s.who}` : s.who,
    ref: s.sessionId,
    since: described ? row!.acquired_at : s.since,
    strategy,
    stale: false,
    releaseEffect: adapter.endSessionEffect,
  };
}

/**
 * A lease in dbdesk_migrations_lock: holder, token and expiry. Taken with one conditional UPDATE,
 * so on Galera two nodes racing for it cannot both commit (certification lets one through).
 * SQLite takes it under its write lock. Renewed by a heartbeat; a lease whose time ran out, or
 * whose process on this machine is gone, is stale and can be taken over.
 */
class LeaseRunLock implements RunLock {
  readonly strategy = 'lease-row' as const;
  private readonly token = randomUUID();
  private held = false;
  private lost: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private lastBeat = 0;
  private heartbeatConn: MigrationConnection | null = null;

  constructor(
    private readonly conn: MigrationConnection,
    private readonly adapter: MigrationAdapter,
    private readonly audit: Audit,
  ) {}

  private get db() {
    return this.adapter.compiler;
  }

  private async tryTake(conn: MigrationConnection, staleToken: string | null): Promise<boolean> {
    const now = this.adapter.nowMs();
    let q = this.db
      .updateTable(LOCK_TABLE)
      .set({
        token: this.token,
        holder: describeSelf(this.audit),
        session_id: conn.sessionId,
        host: this.audit.clientHost,
        pid: this.audit.pid,
        acquired_at: new Date().toISOString(),
        expires_at_ms: sql`${now} + ${LEASE_TTL_MS}`,
      })
      .where('id', '=', 1);
    q = staleToken ? q.where('token', '=', staleToken) : q.where((eb) => eb.or([eb('token', 'is', null), eb('expires_at_ms', '<', now)]));
    try {
      const r = await conn.query(q.compile());
      if (r.affected !== 1) return false;
    } catch (err) {
      // SQLite busy (another runner is mid-transaction), Galera certification conflict: not ours this round.
      if (/busy|locked|deadlock|lock wait/i.test((err as Error).message)) return false;
      throw err;
    }
    const row = await readLockRow(conn, this.adapter);
    return row?.token === this.token;
  }

  async acquire(waitMs: number, signal: AbortSignal | undefined, onWait: (holder: LockHolder | null) => void): Promise<AcquireResult> {
    const conn = this.adapter.leaseHeartbeat === 'timer' ? (this.heartbeatConn = await this.adapter.openConnection()) : this.conn;
    await ensureLockTable(conn, this.adapter);
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Read first: a live holder is reported without trying to write (on SQLite a write would
      // wait for the holder's transaction instead of saying who holds the lock).
      const row = await readLockRow(conn, this.adapter);
      let holder = row ? leaseHolder(row, this.audit.clientHost) : null;
      if (!holder && (await this.tryTake(conn, null))) break;
      // A lease whose time ran out, or whose process on this machine is gone, is taken over.
      if (holder?.stale && (await this.tryTake(conn, holder.ref))) break;
      if (!holder) {
        const again = await readLockRow(conn, this.adapter);
        holder = again ? leaseHolder(again, this.audit.clientHost) : null;
      }
      if (signal?.aborted || Date.now() >= deadline) {
        await this.closeHeartbeat();
        return { ok: false, holder, cancelled: signal?.aborted ?? false };
      }
      onWait(holder);
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
    }
    this.held = true;
    this.lastBeat = Date.now();
    if (this.adapter.leaseHeartbeat === 'timer') {
      this.timer = setInterval(() => void this.beat(this.heartbeatConn!), LEASE_TTL_MS / 4);
      this.timer.unref();
    }
    return { ok: true };
  }

  private async beat(conn: MigrationConnection): Promise<void> {
    if (!this.held || this.lost) return;
    try {
      const r = await conn.query(
        this.db
          .updateTable(LOCK_TABLE)
          .set({ expires_at_ms: sql`${this.adapter.nowMs()} + ${LEASE_TTL_MS}` })
          .where('id', '=', 1)
          .where('token', '=', this.token)
          .compile(),
      );
      if (r.affected !== 1) this.lost = 'Another runner took over the migration lock (this run’s lease had run out).';
      else this.lastBeat = Date.now();
    } catch (err) {
      if (Date.now() - this.lastBeat > LEASE_TTL_MS) this.lost = `The migration lock could not be renewed: ${(err as Error).message}`;
    }
  }

  async check(): Promise<void> {
    if (this.adapter.leaseHeartbeat === 'inline' && Date.now() - this.lastBeat > LEASE_TTL_MS / 4) await this.beat(this.conn);
    if (this.lost) throw new CoreError('conflict', `${this.lost} Stopped before the next statement.`);
  }

  private async closeHeartbeat(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.heartbeatConn?.close();
    this.heartbeatConn = null;
  }

  async release(): Promise<void> {
    if (this.held) {
      this.held = false;
      const conn = this.heartbeatConn ?? this.conn;
      await conn.query(this.db.updateTable(LOCK_TABLE).set({ token: null, holder: null, session_id: null, expires_at_ms: null }).where('id', '=', 1).where('token', '=', this.token).compile()).catch(() => undefined);
    }
    await this.closeHeartbeat();
  }
}

export function createRunLock(strategy: LockStrategy, conn: MigrationConnection, adapter: MigrationAdapter, target: MigrationTarget, audit: Audit): RunLock {
  if (strategy === 'lease-row') return new LeaseRunLock(conn, adapter, audit);
  return new SessionRunLock(strategy, conn, adapter, lockNameFor(target), audit);
}

/** Who holds the migration lock right now, or null. Reads only; creates nothing. */
export async function currentLockHolder(conn: MigrationConnection, adapter: MigrationAdapter, strategy: LockStrategy, target: MigrationTarget, audit: Audit): Promise<LockHolder | null> {
  if (strategy !== 'lease-row') return sessionHolder(conn, adapter, strategy, lockNameFor(target));
  if (!(await tableExists(conn, adapter))) return null;
  const row = await readLockRow(conn, adapter);
  return row ? leaseHolder(row, audit.clientHost) : null;
}

/**
 * Frees a lock someone else holds, on purpose: ends the holder's session (session locks) or
 * deletes its lease. `ref` must name the holder that was shown, so a lock that changed hands
 * in between is not released by mistake.
 */
export async function releaseHeldLock(conn: MigrationConnection, adapter: MigrationAdapter, strategy: LockStrategy, target: MigrationTarget, audit: Audit, ref: string): Promise<string> {
  const holder = await currentLockHolder(conn, adapter, strategy, target, audit);
  if (!holder) return 'Nobody holds the migration lock now; nothing was released.';
  if (holder.ref !== ref) throw new CoreError('conflict', `The lock changed hands: it is now held by ${holder.holder}. Look again before releasing it.`);
  if (strategy === 'lease-row') {
    await conn.query(adapter.compiler.updateTable(LOCK_TABLE).set({ token: null, holder: null, session_id: null, expires_at_ms: null }).where('id', '=', 1).where('token', '=', ref).compile());
  } else {
    await adapter.endSession(conn, ref);
    if (await tableExists(conn, adapter)) {
      await conn.query(adapter.compiler.updateTable(LOCK_TABLE).set({ token: null, holder: null, session_id: null }).where('id', '=', 1).where('session_id', '=', ref).compile());
    }
  }
  return `Released the lock held by ${holder.holder}: DB Desk ${holder.releaseEffect}.`;
}
