import type { LongTransactionRule } from '../model/query';

export interface TransactionAge {
  ageMs: number;
  /** `0:42`, `12:05`, `1:02:03` */
  label: string;
  /** Past the server's long-transaction threshold: the editor warns. */
  long: boolean;
}

/** Minutes and seconds (hours when it comes to that), as a clock shows them. */
export function formatAge(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** `30 s`, `5 min`, `1 h 30 min`: a threshold in words. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/**
 * The age of a session's open transaction now. The core sends the age it measured when it sent the
 * state (never a timestamp: the window's clock may be another machine's), and the window adds the
 * time since it received it.
 */
export function transactionAge(state: { transactionAgeMs: number | null; longTransaction: LongTransactionRule }, receivedAt: number, now: number): TransactionAge | null {
  if (state.transactionAgeMs === null) return null;
  const ageMs = state.transactionAgeMs + Math.max(0, now - receivedAt);
  return { ageMs, label: formatAge(ageMs), long: ageMs >= state.longTransaction.afterMs };
}

/** What the editor says once a transaction is long. */
export function longTransactionWarning(age: TransactionAge, rule: LongTransactionRule): string {
  return `This transaction has been open for ${age.label} (longer than ${formatDuration(rule.afterMs)}). ${rule.why} Commit or roll back as soon as you can.`;
}
