import { useEffect, useRef, useState } from 'react';
import type { DesignPlan } from '../../../shared/ipc/commands/designer';
import { useStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';
import type { DesignerSession } from './designer-session';

export type PlanLoad = { status: 'idle' | 'loading' } | { status: 'ready'; plan: DesignPlan } | { status: 'failed'; message: string };

/** Asks the core for the migration of the current design (debounced while a person edits). */
export async function fetchPlan(session: DesignerSession, name: string): Promise<DesignPlan> {
  const { base, history, source, serverVersion } = session.state;
  const migrationName = name.trim() || 'update schema';
  if (source.kind === 'connection') return client.call('designer.plan', { connectionId: source.profileId, base, design: history.present, name: migrationName });
  return client.call('designer.plan-scratch', { design: history.present, name: migrationName, version: serverVersion });
}

export function usePlan(session: DesignerSession, name: string, enabled: boolean, delayMs = 350): { load: PlanLoad; refresh(): void } {
  const design = useStore(session.store, (s) => s.history.present);
  const base = useStore(session.store, (s) => s.base);
  const [load, setLoad] = useState<PlanLoad>({ status: 'idle' });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    if (session.source.kind === 'scratch' && design.tables.length === 0) {
      setLoad({ status: 'failed', message: 'The design has no tables yet: add a table first.' });
      return;
    }
    const mine = ++seq.current;
    setLoad((l) => (l.status === 'ready' ? l : { status: 'loading' }));
    const timer = setTimeout(() => {
      fetchPlan(session, name)
        .then((plan) => mine === seq.current && setLoad({ status: 'ready', plan }))
        .catch((err: unknown) => mine === seq.current && setLoad({ status: 'failed', message: errorOf(err).message }));
    }, delayMs);
    return () => clearTimeout(timer);
  }, [session, design, base, name, enabled, tick, delayMs]);
  return { load, refresh: () => setTick((t) => t + 1) };
}
