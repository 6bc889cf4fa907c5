import type { EngineFixture } from './fixtures';

/**
 * The server's own view of this database's other sessions (the app's pool among them), for tests that
 * check what a cancel left behind: pg_stat_activity, information_schema.PROCESSLIST.
 */
export interface ServerSessions {
  /** Statements of this database's other sessions that are running (PostgreSQL: or transactions left open). */
  busy: string;
  /** The ids of this database's other sessions. */
  sessions: string;
}

export const postgresSessions: ServerSessions = {
  busy: "SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'",
  sessions: "SELECT pid AS id FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
};

export const mariadbSessions: ServerSessions = {
  busy: "SELECT ID, COMMAND, INFO FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep'",
  sessions: 'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()',
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the server, through the fixture's admin connection, about the fixture database's other sessions. */
export function watchSessions(fixture: () => EngineFixture, s: ServerSessions) {
  const busy = () => fixture().exec(s.busy);
  return {
    busy,
    sessionIds: async () => new Set((await fixture().exec(s.sessions)).map((r) => String(r.id))),
    /** Polls `ok` every 25 ms; fails after `ms` saying what still runs. */
    waitUntil: async (ok: () => Promise<boolean>, ms: number, what: string) => {
      const until = Date.now() + ms;
      while (!(await ok())) {
        if (Date.now() > until) throw new Error(`not ${what} within ${ms} ms: ${JSON.stringify(await busy())}`);
        await sleep(25);
      }
    },
  };
}
