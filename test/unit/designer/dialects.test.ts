import { describe, expect, it } from 'vitest';
import { diffDesigns } from '../../../features/designer/shared/diff';
import { addColumn, addForeignKey, addTable, addUnique, dropForeignKey, renameTable, updateColumn } from '../../../features/designer/shared/edits';
import { emptyDesign, type DesignSchema } from '../../../features/designer/shared/model';
import { fragmentProblem } from '../../../features/designer/shared/sql-fragment';
import { lexRulesOf } from '../../../shared/sql/lex-rules';
import { dialectFor } from '../../../electron/core/engines';
import type { EngineKind } from '../../../shared/model/engine';

import { planDesignMigration } from '../../../features/designer/core/plan-migration';
import { migrationSlug } from '../../../features/migrations/core';
import { normalizeMysqlType } from '../../../electron/core/engines/mysql/mysql-design-types';
import { normalizePostgresType } from '../../../electron/core/engines/postgres/postgres-design-types';
import { postgresDesignRules } from '../../../electron/core/engines/postgres/postgres-ddl';
import { mysqlDesignRules } from '../../../electron/core/engines/mysql/mysql-ddl';
import { parseCreateTable } from '../../../electron/core/engines/sqlite/sqlite-create-table-parser';
import { mentionsName, renameIdentifiers } from '../../../electron/core/engines/sqlite/sqlite-sql-tokens';
import { canonicalNumber } from '../../../features/designer/core/sql-expression-normalizer';
import { shop } from './fixtures';

const designDialectFor = (kind: EngineKind, version: string | null = null) => dialectFor(kind).designDialect(kind, version);

const up = (from: DesignSchema, to: DesignSchema, version: string | null = null) => {
  const dialect = designDialectFor(to.engine, version);
  return dialect.migrate(from, to, diffDesigns(from, to, dialect.rules));
};

describe('SQL fragments', () => {
  it('accepts single expressions and refuses what would end or comment out a statement', () => {
    expect(fragmentProblem("coalesce(a, 'x;y') || \"b;c\"", lexRulesOf('postgresql'))).toBeNull();
    expect(fragmentProblem("'it''s'", lexRulesOf('sqlite'))).toBeNull();
    expect(fragmentProblem("'a\\'b'", lexRulesOf('mariadb'))).toBeNull();
    expect(fragmentProblem('1; DROP TABLE t', lexRulesOf('postgresql'))).toMatch(/";"/);
    expect(fragmentProblem('1 -- x', lexRulesOf('sqlite'))).toMatch(/--/);
    expect(fragmentProblem('1 /* x */', lexRulesOf('mysql'))).toMatch(/\/\*/);
    expect(fragmentProblem('1 # x', lexRulesOf('mariadb'))).toMatch(/#/);
    expect(fragmentProblem('$$x$$', lexRulesOf('postgresql'))).toMatch(/Dollar/);
    expect(fragmentProblem("'open", lexRulesOf('postgresql'))).toMatch(/not closed/);
    expect(fragmentProblem('(a', lexRulesOf('postgresql'))).toMatch(/balanced/);
    expect(fragmentProblem('a)', lexRulesOf('postgresql'))).toMatch(/without/);
  });
});

describe('type and expression rules', () => {
  it('spells PostgreSQL types the way format_type() reads them back', () => {
    const cases: [string, string][] = [
      ['int', 'integer'],
      ['INT4', 'integer'],
      ['serial', 'integer'],
      ['varchar(40)', 'character varying(40)'],
      ['varchar', 'character varying'],
      ['char', 'character(1)'],
      ['bpchar(3)', 'character(3)'],
      ['decimal(12, 2)', 'numeric(12,2)'],
      ['timestamptz', 'timestamp with time zone'],
      ['timestamptz(3)', 'timestamp(3) with time zone'],
      ['timestamp', 'timestamp without time zone'],
      ['float', 'double precision'],
      ['float(10)', 'real'],
      ['int[]', 'integer[]'],
      ['bit', 'bit(1)'],
      ['public.mood', 'public.mood'],
      ['jsonb', 'jsonb'],
    ];
    for (const [input, canon] of cases) expect(normalizePostgresType(input), input).toBe(canon);
  });

  it('spells MySQL/MariaDB types the way COLUMN_TYPE reads them back', () => {
    const cases: [string, string][] = [
      ['int(11)', 'int'],
      ['INTEGER', 'int'],
      ['bigint(20) unsigned', 'bigint unsigned'],
      ['boolean', 'tinyint(1)'],
      ['tinyint(1)', 'tinyint(1)'],
      ['numeric', 'decimal(10,0)'],
      ['decimal(12)', 'decimal(12,0)'],
      ['double precision', 'double'],
      ['character varying(20)', 'varchar(20)'],
      ['char', 'char(1)'],
      ["enum('a','B')", "enum('a','B')"],
      ['datetime(0)', 'datetime'],
    ];
    for (const [input, canon] of cases) expect(normalizeMysqlType(input), input).toBe(canon);
  });

  it('compares expressions the way servers rewrite them', () => {
    const pg = postgresDesignRules.normalizeExpression;
    expect(pg("'abc'::text")).toBe(pg("'abc'"));
    expect(pg('(price > (0)::numeric)')).toBe(pg('price > 0'));
    expect(pg("'-1'::integer")).toBe(pg('-1'));
    expect(pg('now()')).toBe(pg('CURRENT_TIMESTAMP'));
    expect(pg("'A'")).not.toBe(pg("'a'"));
    expect(pg('a + b')).not.toBe(pg('a - b'));
    const my = mysqlDesignRules().normalizeExpression;
    expect(my('current_timestamp()')).toBe(my('CURRENT_TIMESTAMP'));
    expect(my('0.00')).toBe(my('0'));
    expect(my('`total` >= 0')).toBe(my('total >= 0'));
    expect(canonicalNumber('9007199254740993.10')).toBe('9007199254740993.1');
    expect(canonicalNumber('-007')).toBe('-7');
  });
});

describe('SQLite CREATE TABLE reading', () => {
  it('finds what the pragmas do not report', () => {
    const t = parseCreateTable(`CREATE TABLE "my ""t""" (
      id INTEGER PRIMARY KEY AUTOINCREMENT, -- the key, with a comment, ( and )
      [name] TEXT COLLATE NOCASE NOT NULL CONSTRAINT name_not_empty CHECK (length(name) > 0),
      total NUMERIC CHECK (total >= 0) DEFAULT (0.5),
      doubled REAL GENERATED ALWAYS AS (total * 2) STORED,
      "check" TEXT,
      parent_id INTEGER CONSTRAINT fk_parent REFERENCES parents (id) ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
      CONSTRAINT u_name UNIQUE (name, "check"),
      CHECK (total < 1000),
      CONSTRAINT fk_other FOREIGN KEY (total, "check") REFERENCES other
    ) WITHOUT ROWID, STRICT`);
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'INTEGER'],
      ['name', 'TEXT'],
      ['total', 'NUMERIC'],
      ['doubled', 'REAL'],
      ['check', 'TEXT'],
      ['parent_id', 'INTEGER'],
    ]);
    expect(t.columns[0]!.autoIncrement).toBe(true);
    expect(t.columns[1]!.collation).toBe('NOCASE');
    expect(t.columns[3]!.generated).toEqual({ expression: 'total * 2', stored: true });
    expect(t.checks).toEqual([
      { name: 'name_not_empty', expression: 'length(name) > 0' },
      { name: null, expression: 'total >= 0' },
      { name: null, expression: 'total < 1000' },
    ]);
    expect(t.uniques).toEqual([{ name: 'u_name', columns: ['name', 'check'] }]);
    expect(t.foreignKeys).toEqual([
      { name: 'fk_parent', columns: ['parent_id'], refTable: 'parents', refColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
      { name: 'fk_other', columns: ['total', 'check'], refTable: 'other', refColumns: [], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
    ]);
    expect(t.withoutRowid).toBe(true);
    expect(t.strict).toBe(true);
  });

  it('renames identifiers in trigger text but not inside strings or comments', () => {
    const sql = `CREATE TRIGGER t AFTER UPDATE ON orders BEGIN INSERT INTO log VALUES ('orders', new."total"); -- orders\nEND`;
    const out = renameIdentifiers(sql, new Map([['orders', 'sales'], ['total', 'amount']]));
    expect(out).toBe(`CREATE TRIGGER t AFTER UPDATE ON "sales" BEGIN INSERT INTO log VALUES ('orders', new."amount"); -- orders\nEND`);
    expect(mentionsName('SELECT * FROM [Orders]', 'orders')).toBe(true);
    expect(mentionsName("SELECT 'orders'", 'orders')).toBe(false);
  });
});

describe('PostgreSQL DDL', () => {
  it('orders statements so each finds what it needs: foreign keys out first and in last', () => {
    let d = dropForeignKey(shop(), 't:orders', 'f:orders_customer_id_fkey');
    d = updateColumn(d, 't:customers', 'c:id', { type: 'integer' });
    d = addForeignKey(d, 't:orders', { columns: ['c:customer_id'], refTableId: 't:customers', refColumns: ['c:id'], onDelete: 'CASCADE' }).design;
    const s = up(shop(), d).statements;
    expect(s[0]).toBe('ALTER TABLE "public"."orders" DROP CONSTRAINT "orders_customer_id_fkey"');
    expect(s).toContain('ALTER TABLE "public"."customers" ALTER COLUMN "id" TYPE integer USING "id"::integer');
    expect(s.at(-1)).toMatch(/^ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_customer_id_fkey(_2)?" FOREIGN KEY \("customer_id"\) REFERENCES "public"."customers" \("id"\) ON DELETE CASCADE$/);
  });

  it('swaps two table names through a temporary name', () => {
    let d = renameTable(shop(), 't:customers', 'tmp');
    d = renameTable(d, 't:orders', 'customers');
    d = renameTable(d, 't:customers', 'orders');
    expect(up(shop(), d).statements).toEqual([
      'ALTER TABLE "public"."customers" RENAME TO "__dbdesk_tmp_0_customers"',
      'ALTER TABLE "public"."orders" RENAME TO "__dbdesk_tmp_1_orders"',
      'ALTER TABLE "public"."__dbdesk_tmp_0_customers" RENAME TO "orders"',
      'ALTER TABLE "public"."__dbdesk_tmp_1_orders" RENAME TO "customers"',
    ]);
  });

  it('creates new tables with identity, keys and checks, foreign keys after every table exists', () => {
    const base = emptyDesign('postgresql', 'app');
    const a = addTable(base, 'a');
    const b = addTable(a.design, 'b');
    let d = addColumn(b.design, b.tableId, { name: 'a_id', type: 'bigint', nullable: false }).design;
    const aId = d.tables[0]!.columns[0]!.id;
    d = addForeignKey(d, b.tableId, { columns: [d.tables[1]!.columns[1]!.id], refTableId: a.tableId, refColumns: [aId] }).design;
    const plan = planDesignMigration(designDialectFor('postgresql'), base, d, { name: 'first', now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    expect(plan.fileName).toBe('20260102030405_first.sql');
    expect(plan.up.statements).toEqual([
      'CREATE TABLE "app"."a" (\n  "id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n  CONSTRAINT "a_pkey" PRIMARY KEY ("id")\n)',
      'CREATE TABLE "app"."b" (\n  "id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n  "a_id" bigint NOT NULL,\n  CONSTRAINT "b_pkey" PRIMARY KEY ("id")\n)',
      'ALTER TABLE "app"."b" ADD CONSTRAINT "b_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "app"."a" ("id")',
    ]);
    expect(plan.down.statements).toEqual(['DROP TABLE "app"."a", "app"."b"']);
    expect(plan.fileText).toMatch(/^-- first\n-- Written by DB Desk's schema designer for postgresql, schema app\.\n\n-- migrate:up\nCREATE TABLE/);
    expect(plan.fileText).toMatch(/\n-- migrate:down\nDROP TABLE "app"."a", "app"."b";\n$/);
  });

  it('refuses a design whose types or defaults would smuggle in statements', () => {
    const d = shop();
    d.tables[1]!.columns[2]!.default = '0; DROP TABLE customers';
    expect(() => up(shop(), d)).toThrow(/default of orders.total.*";"/);
  });
});

describe('MySQL / MariaDB DDL', () => {
  const my = (e: 'mysql' | 'mariadb') => shop(e, 'app');

  it('changes a table in one ALTER TABLE with full column definitions, foreign keys last', () => {
    let d = updateColumn(my('mariadb'), 't:orders', 'c:total', { type: 'decimal(14,2)', nullable: false });
    d = addColumn(d, 't:orders', { name: 'note', type: 'text', comment: "it's" }).design;
    d = addUnique(d, 't:customers', ['c:name']).design;
    const s = up(my('mariadb'), d).statements;
    expect(s).toEqual([
      'ALTER TABLE `app`.`customers`\n  ADD CONSTRAINT `customers_name_key` UNIQUE (`name`)',
      "ALTER TABLE `app`.`orders`\n  MODIFY COLUMN `total` decimal(14,2) NOT NULL DEFAULT 0,\n  ADD COLUMN `note` text NULL COMMENT 'it''s' AFTER `total`",
    ]);
  });

  it('drops the index InnoDB made for a dropped foreign key, and uses the flavour’s words for checks and renames', () => {
    const d = dropForeignKey(my('mysql'), 't:orders', 'f:orders_customer_id_fkey');
    expect(up(my('mysql'), d).statements).toEqual(['ALTER TABLE `app`.`orders` DROP FOREIGN KEY `orders_customer_id_fkey`', 'ALTER TABLE `app`.`orders` DROP INDEX `orders_customer_id_fkey`']);
    const renamed = updateColumn(my('mariadb'), 't:orders', 'c:total', { name: 'amount' });
    expect(up(my('mariadb'), renamed, '10.4.0').statements[0]).toBe('ALTER TABLE `app`.`orders` CHANGE COLUMN `total` `amount` numeric(12,2) NULL DEFAULT 0');
    expect(up(my('mariadb'), renamed, '10.11.6').statements[0]).toBe('ALTER TABLE `app`.`orders` RENAME COLUMN `total` TO `amount`');
  });

  it('wraps expression defaults in parentheses (MySQL 8 requires it) and leaves literals alone', () => {
    const d = addColumn(my('mysql'), 't:orders', { name: 'ref', type: 'varchar(36)', default: 'uuid()' }).design;
    expect(up(my('mysql'), d).statements[0]).toContain('`ref` varchar(36) NULL DEFAULT (uuid())');
  });
});

describe('SQLite DDL', () => {
  const lite = () => shop('sqlite', 'main');

  it('uses ALTER TABLE for what it can do: renames, a nullable column, a new column with its foreign key', () => {
    let d = renameTable(lite(), 't:customers', 'clients');
    d = updateColumn(d, 't:orders', 'c:total', { name: 'amount' });
    const r = addColumn(d, 't:orders', { name: 'referrer_id', type: 'INTEGER' });
    d = addForeignKey(r.design, 't:orders', { columns: [r.columnId], refTableId: 't:customers', refColumns: ['c:id'], onDelete: 'SET NULL' }).design;
    const s = up(lite(), d);
    expect(s.transactional).toBe(true);
    expect(s.statements).toEqual([
      'ALTER TABLE "customers" RENAME TO "clients"',
      'ALTER TABLE "orders" RENAME COLUMN "total" TO "amount"',
      'ALTER TABLE "orders" ADD COLUMN "referrer_id" INTEGER CONSTRAINT "orders_referrer_id_fkey" REFERENCES "clients" ("id") ON DELETE SET NULL',
    ]);
  });

  it('rebuilds a table for a type change: foreign keys off, copy, swap, indexes back, foreign key check', () => {
    const d = updateColumn(lite(), 't:orders', 'c:total', { type: 'REAL', nullable: false });
    const s = up(lite(), d);
    expect(s.transactional).toBe(false);
    expect(s.notes[0]).toMatch(/orders is rebuilt.*column total changes \(type, nullable\)/);
    expect(s.statements).toEqual([
      'PRAGMA foreign_keys = OFF',
      'BEGIN IMMEDIATE',
      'CREATE TABLE "_dbdesk_new_orders" (\n  "id" INTEGER NOT NULL,\n  "customer_id" INTEGER,\n  "total" REAL NOT NULL DEFAULT 0,\n  PRIMARY KEY ("id"),\n  CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE\n)',
      'INSERT INTO "_dbdesk_new_orders" ("id", "customer_id", "total")\n  SELECT "id", "customer_id", "total" FROM "orders"',
      'DROP TABLE "orders"',
      'ALTER TABLE "_dbdesk_new_orders" RENAME TO "orders"',
      'CREATE INDEX "orders_total_idx" ON "orders" ("total")',
      'CREATE TEMP TABLE temp."_dbdesk_foreign_key_check" (violations INTEGER NOT NULL CONSTRAINT "foreign_key_check_found_rows_without_parent" CHECK (violations = 0))',
      "INSERT INTO temp.\"_dbdesk_foreign_key_check\" SELECT (SELECT count(*) FROM pragma_foreign_key_check('orders'))",
      'DROP TABLE temp."_dbdesk_foreign_key_check"',
      'COMMIT',
      'PRAGMA foreign_keys = ON',
    ]);
  });

  it('rebuilds when a column is added NOT NULL without a default, or with CURRENT_TIMESTAMP, and keeps rowids of rowid tables', () => {
    const base = lite();
    base.tables[1]!.primaryKey = null;
    const d = addColumn(base, 't:orders', { name: 'at', type: 'TEXT', default: 'CURRENT_TIMESTAMP' }).design;
    const s = up(base, d);
    expect(s.notes[0]).toMatch(/non-constant default/);
    expect(s.statements.find((x) => x.startsWith('INSERT INTO "_dbdesk_new_orders"'))).toBe('INSERT INTO "_dbdesk_new_orders" (rowid, "id", "customer_id", "total")\n  SELECT rowid, "id", "customer_id", "total" FROM "orders"');
  });
});

describe('migration names', () => {
  it('slugs names like dbmate file names and refuses empty ones', () => {
    expect(migrationSlug('Add Orders table!')).toBe('add_orders_table');
    expect(migrationSlug('café ünïcode')).toBe('cafe_unicode');
    expect(() => migrationSlug('!!!')).toThrow(/letter or digit/);
  });
});

describe('SQLite DDL with renames and rebuilds together', () => {
  it('renames a referenced column in place before rebuilding its table, so the children follow the new name', () => {
    const base = shop('sqlite', 'main');
    let d = updateColumn(base, 't:customers', 'c:id', { name: 'customer_no' });
    d = updateColumn(d, 't:customers', 'c:name', { type: 'VARCHAR(100)' });
    const s = up(base, d).statements;
    const rename = s.indexOf('ALTER TABLE "customers" RENAME COLUMN "id" TO "customer_no"');
    const create = s.findIndex((x) => x.startsWith('CREATE TABLE "_dbdesk_new_customers"'));
    expect(rename).toBeGreaterThan(1);
    expect(create).toBeGreaterThan(rename);
    expect(s).toContain('INSERT INTO "_dbdesk_new_customers" ("customer_no", "name")\n  SELECT "customer_no", "name" FROM "customers"');
    expect(s.join('\n')).toContain("pragma_foreign_key_check('orders')");
  });
});
