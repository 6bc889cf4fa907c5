import type { Change } from '../../../../features/designer/shared/diff';
import type { DesignIndex, DesignObject, DesignSchema, DesignTable } from '../../../../features/designer/shared/model';
import { atLeast, type DdlScript } from '../../../../features/designer/core/design-dialect';
import type { CompareDialect, ObjectDdl } from '../../../../features/schema-compare/core/compare-dialect';
import { MysqlDesignDialect } from './mysql-ddl';
import { quoteMysqlIdent as q } from './mysql-types';

const KEYWORD: Partial<Record<DesignObject['kind'], string>> = { view: 'VIEW', function: 'FUNCTION', procedure: 'PROCEDURE', trigger: 'TRIGGER', sequence: 'SEQUENCE' };

function replaceFirst(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  return at < 0 ? text : text.slice(0, at) + to + text.slice(at + from.length);
}

function unnamedIndex(definition: string): string {
  return definition.replace(/^(CREATE (?:UNIQUE |FULLTEXT |SPATIAL )?INDEX )`(?:[^`]|``)*` ON /, '$1 ON ');
}

/** A statement with a BEGIN … END body, which the mariadb/mysql client would cut at its first `;`. */
const compound = (sql: string) => /^CREATE\s+(FUNCTION|PROCEDURE|TRIGGER|EVENT)\b/i.test(sql);

/**
 * Schema compare's MySQL/MariaDB DDL: views, routines, triggers and MariaDB sequences, aimed at the
 * target database. Definers are not written: the objects belong to whoever applies the migration.
 */
export class MysqlCompareDialect implements CompareDialect {
  readonly design: MysqlDesignDialect;

  constructor(
    readonly engine: 'mysql' | 'mariadb',
    private readonly version: string | null,
  ) {
    this.design = new MysqlDesignDialect(engine, version);
  }

  sameObject(a: DesignObject, b: DesignObject): boolean {
    return a.definition.trim() === b.definition.trim();
  }

  create(o: DesignObject, schema: string): ObjectDdl {
    const qs = q(schema);
    switch (o.kind) {
      case 'view':
        return { statements: [`CREATE ${o.attributes.security ?? ''}VIEW ${qs}.${q(o.name)} AS ${o.attributes.body ?? ''}${o.attributes.check ?? ''}`] };
      case 'function':
      case 'procedure':
        return { statements: [replaceFirst(o.definition, `CREATE ${KEYWORD[o.kind]} ${q(o.name)}(`, `CREATE ${KEYWORD[o.kind]} ${qs}.${q(o.name)}(`)] };
      case 'trigger': {
        const head = replaceFirst(o.definition, `CREATE TRIGGER ${q(o.name)} `, `CREATE TRIGGER ${qs}.${q(o.name)} `);
        return { statements: [replaceFirst(head, ` ON ${q(o.table ?? '')} FOR EACH ROW `, ` ON ${qs}.${q(o.table ?? '')} FOR EACH ROW `)] };
      }
      case 'sequence':
        return { statements: [`CREATE SEQUENCE ${qs}.${q(o.name)} ${o.attributes.options ?? ''}`.trim()] };
      default:
        return { statements: [], notes: [`${o.kind} ${o.name}: ${this.engine === 'mariadb' ? 'MariaDB' : 'MySQL'} has no such object; it is not written.`] };
    }
  }

  drop(o: DesignObject, schema: string): string[] {
    const word = KEYWORD[o.kind];
    return word ? [`DROP ${word} IF EXISTS ${q(schema)}.${q(o.name)}`] : [];
  }

  alter(from: DesignObject, to: DesignObject, schema: string): ObjectDdl | null {
    // A sequence's options change in place (its current value stays); routines are dropped and created.
    if (to.kind === 'sequence') return { statements: [`ALTER SEQUENCE ${q(schema)}.${q(to.name)} ${to.attributes.options ?? ''}`.trim()] };
    return null;
  }

  /** Routines carry their COMMENT in their definition; views, triggers and sequences have none. */
  comment(): string | null {
    return null;
  }

  affectsDependents(c: Change): boolean {
    switch (c.kind) {
      case 'drop-table':
      case 'rename-table':
      case 'drop-column':
      case 'rename-column':
        return true;
      case 'alter-column':
        return c.aspects.some((a) => a === 'type' || a === 'collation' || a === 'generated');
      default:
        return false;
    }
  }

  renameIndex(schema: string, table: string, from: string, to: string): string | null {
    const can = this.engine === 'mariadb' ? atLeast(this.version, [10, 5, 2]) : atLeast(this.version, [5, 7, 0]);
    return can ? `ALTER TABLE ${q(schema)}.${q(table)} RENAME INDEX ${q(from)} TO ${q(to)}` : null;
  }

  sameIndexButName(a: DesignIndex, b: DesignIndex): boolean {
    if (a.definition || b.definition) return !!a.definition && !!b.definition && unnamedIndex(a.definition) === unnamedIndex(b.definition);
    return a.unique === b.unique && a.columns.join('\u0000') === b.columns.join('\u0000') && (a.method ?? 'BTREE').toUpperCase() === (b.method ?? 'BTREE').toUpperCase();
  }

  fillNulls(schema: string, table: string, column: string, value: string): string {
    return `UPDATE ${q(schema)}.${q(table)} SET ${q(column)} = ${value} WHERE ${q(column)} IS NULL`;
  }

  /** View texts name the database's tables unqualified: they resolve in the session's database. */
  envelope(schema: string, sessionSchema: string | null): { before: string[]; after: string[] } {
    if (schema === sessionSchema) return { before: [], after: [] };
    return { before: [`USE ${q(schema)}`], after: sessionSchema ? [`USE ${q(sessionSchema)}`] : [] };
  }

  assemble(parts: { before: string[]; tables: DdlScript; after: string[]; notes: string[] }): DdlScript {
    return { statements: [...parts.before, ...parts.tables.statements, ...parts.after], notes: [...parts.notes, ...parts.tables.notes], transactional: parts.tables.transactional };
  }

  /** For the mariadb/mysql client: routines and triggers between DELIMITER lines (their bodies hold `;`). */
  clientScript(script: DdlScript): string {
    if (script.statements.length === 0) return '';
    const notes = script.notes.map((n) => `-- ${n.replace(/\n/g, ' ')}\n`).join('');
    const all = script.statements.join('\n');
    const delimiter = ['$$', '//', ';;', '$$$'].find((d) => !all.includes(d)) ?? '$$';
    const body = script.statements.map((s) => (compound(s) ? `DELIMITER ${delimiter}\n${s}${delimiter}\nDELIMITER ;\n` : `${s};\n`)).join('\n');
    return `${notes}${body}`;
  }

  tableDdl(design: DesignSchema, t: DesignTable): string {
    const out = this.design.createTable(design.schema, t);
    for (const f of t.foreignKeys) if (f.refSchema !== null || design.tables.some((x) => x.id === f.refTable)) out.push(`ALTER TABLE ${q(design.schema)}.${q(t.name)} ADD ${this.design.foreignKey(design, t, f)}`);
    return out.map((s) => `${s};`).join('\n');
  }
}
