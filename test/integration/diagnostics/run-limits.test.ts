import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticRun, DiagnosticStepId } from '../../../shared/model/diagnostics';
import * as fakes from '../../support/fake-servers';
import { createMariadbDatabase, createPostgresDatabase, MARIADB, POSTGRES, type TestDatabase } from '../../support/servers';
import { diagnoseUrl, expectWithinLimits } from './diagnose-helpers';

/**
 * "No run ever lasts past the sum of its step timeouts", wherever the hang is: not only a silent
 * port (network-classes) but a server that greets and then never answers the login, and a real
 * server whose table read waits on another session's lock. The hanging step fails at its own limit
 * as timed out, nothing after it waits, and the class is `unknown` with the evidence — a hang
 * after a good greeting is not guessed into a class.
 */
const LIMIT = 1500;
const servers: fakes.FakeServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Asserts the run ended at `step`, timed out there, and took no longer than the limits of the steps that ran. */
function expectHungAt(run: DiagnosticRun, step: DiagnosticStepId): void {
  const summary = run.steps.map((s) => `${s.id}:${s.status}${s.timedOut ? '(timed out)' : ''} ${s.ms}/${s.timeoutMs} ms ${s.detail}`).join('\n');
  const hung = run.steps.find((s) => s.id === step)!;
  expect(hung, summary).toMatchObject({ status: 'fail', timedOut: true, timeoutMs: LIMIT });
  expect(hung.ms, summary).toBeGreaterThanOrEqual(LIMIT - 50);
  expect(run.verdict, summary).toMatchObject({ usable: false, status: 'failed', failedStep: step, classId: 'unknown' });
  // Not "fits no known class" alone: the remedy says it is a hang after steps that passed.
  expect(run.verdict.remedy?.text, summary).toMatch(new RegExp(`^No answer within this step’s limit \\(${LIMIT} ms\\) although the steps before it passed`));
  expectWithinLimits(run);
}

describe('a server that greets, then never answers the login', () => {
  it('PostgreSQL: the auth step fails at its limit; the run ends there', async () => {
    const s = await fakes.stallingPostgresServer();
    servers.push(s);
    const run = await diagnoseUrl(`postgres://app:pw@127.0.0.1:${s.port}/appdb?sslmode=prefer`, {}, { stepTimeoutMs: LIMIT });
    expect(run.steps.find((x) => x.id === 'fingerprint')).toMatchObject({ status: 'ok', evidence: { found: 'postgresql' } });
    expectHungAt(run, 'auth');
    // What happened, rather than the driver's `timeout expired`, which a firewall gives just the same.
    expect(run.steps.find((x) => x.id === 'auth')!.detail).toMatch(/^The server answered the protocol probe but did not complete the login within 1500 ms \(the driver only says “timeout expired”\)/);
    for (const id of ['session', 'privileges', 'health', 'table-read'] as const) expect(run.steps.find((x) => x.id === id)!.status).toBe('skip');
  });

  it('MariaDB: the auth step fails at its limit; the run ends there', async () => {
    const s = await fakes.stallingMysqlServer();
    servers.push(s);
    const run = await diagnoseUrl(`mariadb://app:pw@127.0.0.1:${s.port}/appdb?sslmode=disable`, {}, { stepTimeoutMs: LIMIT });
    expect(run.steps.find((x) => x.id === 'fingerprint')).toMatchObject({ status: 'ok', evidence: { found: 'mysql', flavour: 'mariadb' } });
    expectHungAt(run, 'auth');
    // mysql2 says `connect ETIMEDOUT` although the TCP connect and the greeting worked.
    expect(run.steps.find((x) => x.id === 'auth')!.detail).toMatch(/^The server answered the protocol probe but did not complete the login within 1500 ms \(the driver only says “connect ETIMEDOUT/);
  });
});

describe('a real server whose only table is locked by another session', () => {
  let pgDb: TestDatabase;
  let myDb: TestDatabase;

  beforeAll(async () => {
    pgDb = await createPostgresDatabase();
    myDb = await createMariadbDatabase();
  });
  afterAll(async () => {
    await pgDb?.drop();
    await myDb?.drop();
  });

  it('PostgreSQL (ACCESS EXCLUSIVE): the table read fails at its limit, every other step passed', async () => {
    const holder = new pg.Client({ ...POSTGRES, database: pgDb.name });
    await holder.connect();
    try {
      await holder.query('CREATE TABLE public.only_table (id int PRIMARY KEY); INSERT INTO public.only_table VALUES (1)');
      await holder.query('BEGIN; LOCK TABLE public.only_table IN ACCESS EXCLUSIVE MODE');
      const run = await diagnoseUrl(pgDb.url, {}, { stepTimeoutMs: LIMIT });
      expectHungAt(run, 'table-read');
      expect(run.steps.filter((s) => s.id !== 'table-read' && s.status === 'fail')).toEqual([]);
    } finally {
      await holder.end().catch(() => undefined);
    }
  });

  it('MariaDB (LOCK TABLES … WRITE): the table read fails at its limit, every other step passed', async () => {
    const holder = await mysql.createConnection({ ...MARIADB, database: myDb.name });
    try {
      await holder.query('CREATE TABLE only_table (id int PRIMARY KEY)');
      await holder.query('INSERT INTO only_table VALUES (1)');
      await holder.query('LOCK TABLES only_table WRITE');
      const run = await diagnoseUrl(myDb.url, {}, { stepTimeoutMs: LIMIT });
      expectHungAt(run, 'table-read');
      expect(run.steps.filter((s) => s.id !== 'table-read' && s.status === 'fail')).toEqual([]);
    } finally {
      await holder.end().catch(() => undefined);
    }
  });
});
