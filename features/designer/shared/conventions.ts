import type { EngineKind } from '../../../shared/model/engine';

/**
 * What the designer needs to know of an engine to edit a design offline (before any database
 * exists), as data: the renderer and the core read the same table. The DDL itself is the engine's
 * (engines/<family>/<family>-ddl.ts, behind the Dialect).
 */
export interface DesignConventions {
  /** The longest identifier the engine keeps, in bytes (PostgreSQL truncates past 63, MySQL refuses past 64). */
  identifierLimit: number;
  /** A new table's first column and a new column's type, in the engine's own words. */
  starterTypes: { id: string; idAutoIncrement: boolean; column: string };
  /** The engine names a primary key itself (`<table>_pkey`) and the design shows that name. */
  namesPrimaryKeys: boolean;
  /** A column must have a type (SQLite's columns may have none). */
  typeRequired: boolean;
  /** Constraint and index names share one namespace per schema (PostgreSQL): a clash says so. */
  constraintNamesPerSchema: boolean;
  /** Tables can carry a comment (SQLite's cannot). */
  tableComments: boolean;
  /** What the engine calls the namespace a design is for, as a field label. */
  namespaceLabel: string;
}

const mysqlLike: DesignConventions = {
  identifierLimit: 64,
  starterTypes: { id: 'bigint', idAutoIncrement: true, column: 'varchar(255)' },
  namesPrimaryKeys: false,
  typeRequired: true,
  constraintNamesPerSchema: false,
  tableComments: true,
  namespaceLabel: 'Database name',
};

export const designConventions: Record<EngineKind, DesignConventions> = {
  postgresql: {
    identifierLimit: 63,
    starterTypes: { id: 'bigint', idAutoIncrement: true, column: 'text' },
    namesPrimaryKeys: true,
    typeRequired: true,
    constraintNamesPerSchema: true,
    tableComments: true,
    namespaceLabel: 'Schema',
  },
  mysql: mysqlLike,
  mariadb: mysqlLike,
  sqlite: {
    identifierLimit: 1024,
    // INTEGER PRIMARY KEY is SQLite's rowid: numbered without AUTOINCREMENT.
    starterTypes: { id: 'INTEGER', idAutoIncrement: false, column: 'TEXT' },
    namesPrimaryKeys: false,
    typeRequired: false,
    constraintNamesPerSchema: false,
    tableComments: false,
    namespaceLabel: 'Database',
  },
};
