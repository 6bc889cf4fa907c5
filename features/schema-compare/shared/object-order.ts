import type { DesignObject } from '../../designer/shared/model';

/** What identifies an object within a schema: kind, table (triggers), name and signature (routines). */
export function objectKey(o: Pick<DesignObject, 'kind' | 'name' | 'signature' | 'table'>): string {
  return [o.kind, o.table ?? '', o.name, o.signature ?? ''].join('\u0000');
}

/**
 * Objects ordered so each comes after the objects (of the list) it depends on, by name; a cycle keeps
 * the list's order. Creates run in this order, drops in its reverse.
 */
export function dependenciesFirst<T extends Pick<DesignObject, 'name' | 'dependsOn'>>(objects: readonly T[]): T[] {
  const byName = new Map<string, T[]>();
  for (const o of objects) byName.set(o.name, [...(byName.get(o.name) ?? []), o]);
  const done = new Set<T>();
  const visiting = new Set<T>();
  const out: T[] = [];
  const visit = (o: T) => {
    if (done.has(o) || visiting.has(o)) return;
    visiting.add(o);
    for (const dep of o.dependsOn) for (const d of byName.get(dep) ?? []) if (d !== o) visit(d);
    visiting.delete(o);
    done.add(o);
    out.push(o);
  };
  for (const o of objects) visit(o);
  return out;
}
