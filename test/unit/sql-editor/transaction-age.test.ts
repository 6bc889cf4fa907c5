import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, longTransactionWarning, transactionAge } from '../../../shared/sql/transaction-age';
import { GALERA_LONG_TRANSACTION, INNODB_LONG_TRANSACTION } from '../../../electron/core/engines/mysql/mysql-query-session';

describe('the open transaction’s age in the SQL editor', () => {
  const rule = { afterMs: 30_000, why: 'Because.' };

  it('counts on from the age the core measured, by the window’s own clock since it received it', () => {
    expect(transactionAge({ transactionAgeMs: null, longTransaction: rule }, 1000, 99_000)).toBeNull();
    expect(transactionAge({ transactionAgeMs: 12_000, longTransaction: rule }, 1000, 1000)).toEqual({ ageMs: 12_000, label: '0:12', long: false });
    expect(transactionAge({ transactionAgeMs: 12_000, longTransaction: rule }, 1000, 6500)).toEqual({ ageMs: 17_500, label: '0:17', long: false });
    // A clock that went backwards (another tab's time base) never makes it younger than the core said.
    expect(transactionAge({ transactionAgeMs: 12_000, longTransaction: rule }, 5000, 1000)!.ageMs).toBe(12_000);
  });

  it('is long from the server’s threshold on, not before', () => {
    expect(transactionAge({ transactionAgeMs: 29_999, longTransaction: rule }, 0, 0)!.long).toBe(false);
    expect(transactionAge({ transactionAgeMs: 29_000, longTransaction: rule }, 0, 1000)!.long).toBe(true);
  });

  it('formats ages like a clock and thresholds in words', () => {
    expect([0, 999, 59_999, 60_000, 605_000, 3_723_000].map(formatAge)).toEqual(['0:00', '0:00', '0:59', '1:00', '10:05', '1:02:03']);
    expect([30_000, 60_000, 300_000, 5_400_000].map(formatDuration)).toEqual(['30 s', '1 min', '5 min', '1 h 30 min']);
  });

  it('warns with the age, the threshold, the server’s reason and what to do', () => {
    const age = transactionAge({ transactionAgeMs: 65_000, longTransaction: GALERA_LONG_TRANSACTION }, 0, 0)!;
    expect(age.long).toBe(true);
    const text = longTransactionWarning(age, GALERA_LONG_TRANSACTION);
    expect(text).toMatch(/^This transaction has been open for 1:05 \(longer than 30 s\)\. On a Galera cluster a transaction is certified against everything/);
    expect(text).toMatch(/Commit or roll back as soon as you can\.$/);
  });

  it('is stricter on Galera (certification) than on a single InnoDB server', () => {
    expect(GALERA_LONG_TRANSACTION.afterMs).toBeLessThan(INNODB_LONG_TRANSACTION.afterMs);
    expect(GALERA_LONG_TRANSACTION.why).toMatch(/certified/);
  });
});
