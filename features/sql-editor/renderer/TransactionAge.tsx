import { useEffect, useState } from 'react';
import { formatDuration, longTransactionWarning, transactionAge, type TransactionAge } from '../../../shared/sql/transaction-age';
import type { ReceivedSession } from './editor-store';

/** The open transaction's age, ticking every second while one is open (and nothing while none is). */
function useTransactionAge(session: ReceivedSession | null): TransactionAge | null {
  const open = session?.transactionAgeMs !== null && session?.transactionAgeMs !== undefined;
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!open) return;
    setNow(performance.now());
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, [open, session?.receivedAt]);
  return session ? transactionAge(session, session.receivedAt, now) : null;
}

/** The toolbar's transaction indicator: none, open for m:ss, long (warning colours), failed. */
export function TransactionBadge({ session }: { session: ReceivedSession | null }) {
  const age = useTransactionAge(session);
  const tx = session?.transactionOpen;
  if (!tx || !session) {
    return (
      <span className="tx-state" role="status" aria-live="polite">
        {session ? 'No transaction' : 'No session'}
      </span>
    );
  }
  if (session.transactionFailed) {
    return (
      <span className="tx-state tx-failed" role="status" aria-live="polite">
        Transaction failed — roll back{age ? ` · ${age.label}` : ''}
      </span>
    );
  }
  const long = age?.long ?? false;
  return (
    <span
      className={`tx-state ${long ? 'tx-long' : 'tx-open'}`}
      role="status"
      title={`Open transactions count as long here after ${formatDuration(session.longTransaction.afterMs)}. ${session.longTransaction.why}`}
      data-age-ms={age?.ageMs ?? undefined}
    >
      {long ? '⚠ ' : ''}Transaction open{age ? ` · ${age.label}` : ''}
    </span>
  );
}

/** Under the toolbar, once the transaction is long: how long, why it matters on this server, what to do. */
export function LongTransactionNotice({ session }: { session: ReceivedSession | null }) {
  const age = useTransactionAge(session);
  if (!session?.transactionOpen || !age?.long) return null;
  return (
    <p className="notice notice-warning tx-long-notice" role="alert">
      {longTransactionWarning(age, session.longTransaction)}
    </p>
  );
}
