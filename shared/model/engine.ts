import { z } from 'zod';

/** The database products DB Desk talks to. `mariadb` and `mysql` share one engine family. */
export const engineKinds = ['postgresql', 'mysql', 'mariadb', 'sqlite'] as const;
export const EngineKind = z.enum(engineKinds);
export type EngineKind = z.infer<typeof EngineKind>;

/** An engine family is one adapter folder under electron/core/engines. */
export type EngineFamily = 'postgres' | 'mysql' | 'sqlite';

const families: Record<EngineKind, EngineFamily> = { postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite' };

export function engineFamily(kind: EngineKind): EngineFamily {
  return families[kind];
}

export const engineLabels: Record<EngineKind, string> = {
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  sqlite: 'SQLite',
};

export const defaultPorts: Record<EngineKind, number | undefined> = {
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  sqlite: undefined,
};

/**
 * Where a profile's database lives: a file on this machine, or a server reached over the network.
 * It decides a profile's fields (a path, or host/port/user/TLS). What a product does differently as
 * SQL, errors or protocol is its Dialect's (electron/core/engines), never decided here.
 */
export const engineStorage: Record<EngineKind, 'file' | 'server'> = {
  postgresql: 'server',
  mysql: 'server',
  mariadb: 'server',
  sqlite: 'file',
};

/** A profile of this kind names a file, not a server. */
export function isFileEngine(kind: EngineKind): boolean {
  return engineStorage[kind] === 'file';
}

/**
 * What further hosts in a network profile are: fallbacks tried in order when the first cannot be
 * reached (libpq's host list), or the nodes of a Galera cluster.
 */
export const furtherHosts: Record<EngineKind, 'fallbacks' | 'cluster-nodes' | null> = {
  postgresql: 'fallbacks',
  mysql: 'cluster-nodes',
  mariadb: 'cluster-nodes',
  sqlite: null,
};

/** The URL scheme a profile of this kind is written with (`postgres://…`, `sqlite:path`). */
export const urlSchemes: Record<EngineKind, string> = {
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
};
