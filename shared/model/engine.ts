import { z } from 'zod';

/** The database products DB Desk talks to. `mariadb` and `mysql` share one engine family. */
export const engineKinds = ['postgresql', 'mysql', 'mariadb', 'sqlite'] as const;
export const EngineKind = z.enum(engineKinds);
export type EngineKind = z.infer<typeof EngineKind>;

/** An engine family is one adapter folder under electron/core/engines. */
export type EngineFamily = 'postgres' | 'mysql' | 'sqlite';

export function engineFamily(kind: EngineKind): EngineFamily {
  switch (kind) {
    case 'postgresql':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'sqlite':
      return 'sqlite';
  }
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
