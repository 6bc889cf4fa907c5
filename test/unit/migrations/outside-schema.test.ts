import { describe, expect, it } from 'vitest';
import { namesSchema } from '../../../features/migrations/core/shadow/outside-schema';
import { lexRules } from '../../../shared/sql/lex-rules';

describe('a statement naming a schema outright', () => {
  const pg = lexRules.postgres;
  const my = lexRules.mysql;
  it('qualified names, quoted or not, in any case where unquoted', () => {
    expect(namesSchema('CREATE TABLE public.audit (id int)', 'public', pg)).toBe(true);
    expect(namesSchema('ALTER TABLE "public"."users" ADD COLUMN x int', 'public', pg)).toBe(true);
    expect(namesSchema('insert into PUBLIC . audit values (1)', 'public', pg)).toBe(true);
    expect(namesSchema('CREATE TABLE `shop`.audit (id int)', 'shop', my)).toBe(true);
    expect(namesSchema('USE shop', 'shop', my)).toBe(true);
  });
  it('not in strings, comments, other schemas, longer names or deeper paths', () => {
    expect(namesSchema("INSERT INTO notes VALUES ('public.audit')", 'public', pg)).toBe(false);
    expect(namesSchema('-- public.audit\nCREATE TABLE audit (id int)', 'public', pg)).toBe(false);
    expect(namesSchema('CREATE TABLE publications.audit (id int)', 'public', pg)).toBe(false);
    expect(namesSchema('CREATE TABLE my_public.audit (id int)', 'public', pg)).toBe(false);
    expect(namesSchema('SELECT db.public.x FROM t', 'public', pg)).toBe(false);
    expect(namesSchema('CREATE FUNCTION f() RETURNS int AS $$ SELECT count(*) FROM public.t $$ LANGUAGE sql', 'public', pg)).toBe(false);
    expect(namesSchema('USE shop_copy', 'shop', my)).toBe(false);
  });
});
