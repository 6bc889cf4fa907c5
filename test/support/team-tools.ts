import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARIADB, POSTGRES } from './servers';
import type { EngineUnderTest } from './migrations';

/**
 * The team's own migration tools, run for real beside DB Desk: dbmate (the npm package's binary,
 * pinned in devDependencies) and Alembic (Debian's python3-alembic, run by Debian's python3, never
 * a pyenv python3 earlier on the PATH). A missing tool fails the test with how to install it.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const DBMATE = join('node_modules', '.bin', 'dbmate');

/** dbmate's URL for a test database (it speaks mysql:// for MariaDB, sqlite: for a file). */
export function dbmateUrl(engine: EngineUnderTest['name'], db: { name: string; url: string }): string {
  if (engine === 'postgresql') return `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${db.name}?sslmode=disable`;
  if (engine === 'mariadb') return `mysql://${MARIADB.user}@${MARIADB.host}:${MARIADB.port}/${db.name}`;
  return `sqlite:${db.name}`;
}

/** Runs the real dbmate on a folder (never writing a schema dump next to the tests). */
export async function dbmate(url: string, dir: string, ...args: string[]): Promise<Run> {
  if (!existsSync(DBMATE)) throw new Error('dbmate is not installed: run `npm ci` (it is a pinned devDependency).');
  return run(DBMATE, ['--url', url, '--migrations-dir', dir, '--no-dump-schema', ...args]);
}

/** `dbmate status` as version → applied, from its `[X] file` / `[ ] file` lines. */
export async function dbmateStatus(url: string, dir: string): Promise<Record<string, boolean>> {
  const r = await dbmate(url, dir, 'status');
  if (r.code !== 0) throw new Error(`dbmate status failed: ${r.stderr}`);
  const out: Record<string, boolean> = {};
  for (const m of r.stdout.matchAll(/^\[( |X)\] (\d+)\S*\.sql$/gm)) out[m[2]!] = m[1] === 'X';
  return out;
}

/** Debian's python3, which has python3-alembic, python3-sqlalchemy, psycopg2 and pymysql. */
const DEBIAN_PYTHON = '/usr/bin/python3';

/** SQLAlchemy's URL for a test database. */
export function sqlalchemyUrl(engine: EngineUnderTest['name'], db: { name: string }): string {
  if (engine === 'postgresql') return `postgresql+psycopg2://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${db.name}`;
  if (engine === 'mariadb') return `mysql+pymysql://${MARIADB.user}@${MARIADB.host}:${MARIADB.port}/${db.name}`;
  return `sqlite:///${db.name}`;
}

export interface AlembicRevision {
  revision: string;
  parents: string[];
  slug: string;
  upgrade: string;
  downgrade: string;
}

/**
 * An Alembic project in `dir`: alembic.ini, an env.py that connects to DBDESK_ALEMBIC_URL, and
 * versions/<rev>_<slug>.py written as `alembic revision` writes them.
 */
export function writeAlembicProject(dir: string, revisions: AlembicRevision[]): void {
  mkdirSync(join(dir, 'versions'), { recursive: true });
  writeFileSync(join(dir, 'alembic.ini'), `[alembic]\nscript_location = ${dir}\n`);
  writeFileSync(
    join(dir, 'env.py'),
    [
      'import os',
      'from alembic import context',
      'from sqlalchemy import create_engine',
      '',
      "engine = create_engine(os.environ['DBDESK_ALEMBIC_URL'])",
      'with engine.connect() as connection:',
      '    context.configure(connection=connection, target_metadata=None)',
      '    with context.begin_transaction():',
      '        context.run_migrations()',
      '',
    ].join('\n'),
  );
  for (const r of revisions) {
    const down = r.parents.length === 0 ? 'None' : r.parents.length === 1 ? `'${r.parents[0]}'` : `(${r.parents.map((p) => `'${p}'`).join(', ')})`;
    writeFileSync(
      join(dir, 'versions', `${r.revision}_${r.slug}.py`),
      [
        `"""${r.slug.replace(/_/g, ' ')}`,
        '',
        `Revision ID: ${r.revision}`,
        `Revises: ${r.parents.join(', ')}`,
        '"""',
        'from alembic import op',
        '',
        `revision = '${r.revision}'`,
        `down_revision = ${down}`,
        'branch_labels = None',
        'depends_on = None',
        '',
        '',
        'def upgrade():',
        `    op.execute(${JSON.stringify(r.upgrade)})`,
        '',
        '',
        'def downgrade():',
        `    op.execute(${JSON.stringify(r.downgrade)})`,
        '',
      ].join('\n'),
    );
  }
}

/** Runs `python3 -m alembic` (Debian's) in a project written by writeAlembicProject. */
export async function alembic(dir: string, url: string, ...args: string[]): Promise<Run> {
  if (!existsSync(DEBIAN_PYTHON)) throw new Error('Debian python3 is missing: apt-get install python3-alembic python3-sqlalchemy python3-psycopg2 python3-pymysql');
  const r = await run(DEBIAN_PYTHON, ['-m', 'alembic', '-c', join(dir, 'alembic.ini'), ...args], { DBDESK_ALEMBIC_URL: url, PYTHONDONTWRITEBYTECODE: '1' });
  if (/No module named alembic/.test(r.stderr)) throw new Error('Alembic is missing from Debian python3: apt-get install python3-alembic python3-sqlalchemy python3-psycopg2 python3-pymysql');
  return r;
}

/** `alembic current`: the revision ids it prints, one per head ("ae1027a6acf (head)" → ae1027a6acf). */
export async function alembicCurrent(dir: string, url: string): Promise<string[]> {
  const r = await alembic(dir, url, 'current');
  if (r.code !== 0) throw new Error(`alembic current failed: ${r.stderr}`);
  return [...r.stdout.matchAll(/^(\w+)(?: \(.*\))?$/gm)].map((m) => m[1]!).sort();
}
