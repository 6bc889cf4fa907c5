import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { openEngine, type Engine, type EngineConfig } from '../../../electron/core/engines';
import type { BackupSource } from '../../../features/backup/core/backup-runner';
import type { Side } from '../schema-compare/helpers';

export { dbdesk, mariadbSide, postgresSide, sqliteSide, type Side } from '../schema-compare/helpers';

/** The config a profile of this URL gives, with extra fields (a password, SSH) on top. */
export function configOf(url: string, extra: Partial<EngineConfig> = {}): EngineConfig {
  const parsed = parseConnectionUrl(url);
  const fields = ConnectionFields.parse(parsed.fields);
  return { ...fields, poolSize: 2, ...(parsed.password !== undefined ? { password: parsed.password } : {}), ...extra };
}

export async function openSource(url: string, extra: Partial<EngineConfig> = {}): Promise<BackupSource & { close(): Promise<void> }> {
  const config = configOf(url, extra);
  const engine: Engine = await openEngine(config);
  return { engine, config, close: () => engine.close() };
}

export const SEED: Record<'postgres' | 'mariadb' | 'sqlite', string> = {
  postgres: `
    CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL, note text, balance numeric(32,2), seen timestamp, photo bytea);
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint REFERENCES customer(id), total numeric(12,2) CHECK (total >= 0), placed timestamptz DEFAULT now());
    CREATE INDEX orders_by_customer ON orders (customer_id);
    CREATE TABLE "Mixed Case" ("Key" int PRIMARY KEY, "quote""d" text);
    CREATE VIEW big_customers AS SELECT id, name FROM customer WHERE balance > 100;
    CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := NEW.total + 0; RETURN NEW; END $$;
    CREATE TRIGGER orders_bump BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION bump();
    INSERT INTO customer VALUES
      (9223372036854775807, 'Zoë 😀', '', 123456789012345678901234567890.12, '2024-02-29 23:59:59.999999', '\\x00ff10'),
      (-9223372036854775808, 'quote'' "and" , comma', NULL, -1.50, NULL, NULL),
      (1, E'line\\nbreak\\ttab', 'x', 0, '1970-01-01 00:00:00', ''::bytea);
    INSERT INTO orders (customer_id, total, placed) SELECT 1, g, '2024-01-01T00:00:00Z'::timestamptz + g * interval '1 hour' FROM generate_series(1, 500) g;
    INSERT INTO "Mixed Case" VALUES (1, 'a'), (2, NULL);
  `,
  mariadb: `
    CREATE TABLE customer (id bigint PRIMARY KEY, name varchar(200) NOT NULL, note text, balance decimal(32,2), seen datetime(6), photo blob) CHARACTER SET utf8mb4;
    CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, customer_id bigint, total decimal(12,2), placed timestamp NULL, KEY orders_by_customer (customer_id), CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customer(id)) ENGINE=InnoDB;
    CREATE TABLE \`Mixed Case\` (\`Key\` int PRIMARY KEY, \`quote\`\`d\` text);
    CREATE VIEW big_customers AS SELECT id, name FROM customer WHERE balance > 100;
    CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;
    CREATE TRIGGER orders_bump BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = NEW.total + 0;
    INSERT INTO customer VALUES
      (9223372036854775807, 'Zoë 😀', '', 123456789012345678901234567890.12, '2024-02-29 23:59:59.999999', x'00ff10'),
      (-9223372036854775808, 'quote'' "and" , comma', NULL, -1.50, NULL, NULL),
      (1, 'line\\nbreak\\ttab', 'x', 0, '1970-01-01 00:00:00', '');
    INSERT INTO orders (customer_id, total, placed) SELECT 1, seq, '2024-01-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_500;
    INSERT INTO \`Mixed Case\` VALUES (1, 'a'), (2, NULL);
  `,
  sqlite: `
    CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, balance NUMERIC, seen TEXT, photo BLOB);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id), total REAL CHECK (total >= 0), placed TEXT);
    CREATE INDEX orders_by_customer ON orders (customer_id);
    CREATE VIEW big_customers AS SELECT id, name FROM customer WHERE balance > 100;
    CREATE TRIGGER orders_bump AFTER INSERT ON orders BEGIN UPDATE orders SET total = total WHERE id = NEW.id; END;
    INSERT INTO customer VALUES (9223372036854775807, 'Zoë 😀', '', '123456789012345678901234567890.12', '2024-02-29 23:59:59.999999', x'00ff10'),
      (-9223372036854775808, 'quote'' "and" , comma', NULL, -1.5, NULL, NULL), (1, 'line' || char(10) || 'break', 'x', 0, '1970-01-01', x'');
    WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 500) INSERT INTO orders (customer_id, total, placed) SELECT 1, n, '2024-01-01' FROM g;
  `,
};

/** What the schema is, as text that two databases share when their schemas are equal. */
export async function schemaPrint(kind: 'postgres' | 'mariadb' | 'sqlite', side: Side): Promise<string> {
  if (kind === 'postgres') {
    const parts = await Promise.all([
      side.rows(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
      side.rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
      side.rows(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`),
      side.rows(`SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1`),
      side.rows(`SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`),
      side.rows(`SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`),
    ]);
    return JSON.stringify(parts);
  }
  if (kind === 'mariadb') {
    const tables = await side.rows(`SELECT table_name AS t, table_type AS k FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1`);
    const out: unknown[] = [];
    for (const { t, k } of tables) {
      const show = await side.rows(`SHOW CREATE ${k === 'VIEW' ? 'VIEW' : 'TABLE'} \`${String(t).replace(/`/g, '``')}\``);
      // The view's definer and the table's next AUTO_INCREMENT are the server's, not the schema's.
      out.push(JSON.stringify(show[0]).replace(/\\`[a-z0-9_]+\\`\./g, '').replace(/ AUTO_INCREMENT=\d+/, ''));
    }
    out.push(await side.rows(`SELECT routine_name, routine_definition FROM information_schema.routines WHERE routine_schema = DATABASE() ORDER BY 1`));
    out.push(await side.rows(`SELECT trigger_name, action_statement FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY 1`));
    return JSON.stringify(out);
  }
  return JSON.stringify(await side.rows(`SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name`));
}

/** One checksum per table over every row in a fixed order. */
export async function rowChecksums(kind: 'postgres' | 'mariadb' | 'sqlite', side: Side): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (kind === 'postgres') {
    for (const { t } of await side.rows(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)) {
      const q = `"${String(t).replace(/"/g, '""')}"`;
      const [r] = await side.rows(`SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS c FROM ${q} x`);
      out[String(t)] = String(r!.c);
    }
  } else if (kind === 'mariadb') {
    for (const { t } of await side.rows(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1`)) {
      const [r] = await side.rows(`CHECKSUM TABLE \`${String(t).replace(/`/g, '``')}\` EXTENDED`);
      const [n] = await side.rows(`SELECT count(*) AS n FROM \`${String(t).replace(/`/g, '``')}\``);
      out[String(t)] = `${String(n!.n)}:${String(r!.Checksum)}`;
    }
  } else {
    for (const { t } of await side.rows(`SELECT name AS t FROM sqlite_schema WHERE type = 'table' ORDER BY 1`)) {
      const q = `"${String(t).replace(/"/g, '""')}"`;
      const rows = await side.rows(`SELECT * FROM ${q} ORDER BY rowid`);
      out[String(t)] = `${rows.length}:${JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v))}`;
    }
  }
  return out;
}
