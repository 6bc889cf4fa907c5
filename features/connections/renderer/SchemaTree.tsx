import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { TableSummary } from '../../../shared/model/schema';
import { appStore } from '../../../renderer/src/app/app-state';
import { openTab } from '../../../renderer/src/app/tabs';
import { useStore } from '../../../renderer/src/app/store';
import { Icon } from '../../../renderer/src/ui/icons';
import { loadSchemas, loadTables, schemaStore, setExpanded } from './schema-cache';
import { plural } from '../../../shared/text/plural';
import { ImportDialog } from '../../import/renderer';
import { TreeContextMenu } from './TreeContextMenu';

interface Node {
  id: string;
  level: number;
  label: string;
  kind: 'schema' | 'table' | 'note';
  schema: string;
  table?: TableSummary;
  expanded?: boolean;
  setSize: number;
  posInSet: number;
}

const kindIcons: Record<string, string> = { table: '▦', view: '◫', 'materialized-view': '◧', 'foreign-table': '⇄', 'partitioned-table': '▤' };

/** Opens a table's tab; `focus: false` (Space in the tree) keeps the keyboard where it is. */
export function openTableTab(profileId: string, table: Pick<TableSummary, 'schema' | 'name'>, options: { focus?: boolean } = {}): void {
  openTab({
    id: `table:${profileId}:${table.schema}.${table.name}`,
    kind: 'table',
    title: table.name,
    profileId,
    params: { schema: table.schema, name: table.name },
  }, options);
}

/** The schema tree of one open connection (ARIA tree with roving focus and arrow-key navigation). */
export function SchemaTree(props: { profileId: string; connectionName: string }) {
  const { profileId } = props;
  const data = useStore(schemaStore, (s) => s[profileId]);
  // The table of the tab in front, when it is one of this connection's: the tree shows it selected.
  const activeSchema = useStore(appStore, (s) => {
    const tab = s.tabs.find((t) => t.id === s.activeTabId);
    return tab?.kind === 'table' && tab.profileId === profileId ? String(tab.params.schema) : null;
  });
  const activeName = useStore(appStore, (s) => s.tabs.find((t) => t.id === s.activeTabId)?.params.name);
  const activeTable = activeSchema === null ? null : `t:${activeSchema}.${String(activeName)}`;
  const [focusId, setFocusId] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const treeRef = useRef<HTMLUListElement>(null);
  const [menu, setMenu] = useState<{ node: Node; x: number; y: number } | null>(null);
  const [importing, setImporting] = useState<{ schema: string; table: string | null } | null>(null);

  useEffect(() => {
    if (!schemaStore.get()[profileId]) void loadSchemas(profileId);
  }, [profileId]);

  const nodes = useMemo<Node[]>(() => {
    if (!data || data.schemas.status !== 'ready') return [];
    const out: Node[] = [];
    const schemas = data.schemas.value;
    const needle = filter.toLowerCase();
    schemas.forEach((s, si) => {
      const expanded = !!data.expanded[s.name] || needle !== '';
      out.push({ id: `s:${s.name}`, level: 1, label: s.name, kind: 'schema', schema: s.name, expanded, setSize: schemas.length, posInSet: si + 1 });
      if (!expanded) return;
      const tables = data.tables[s.name];
      if (!tables || tables.status === 'loading') {
        out.push({ id: `n:${s.name}:loading`, level: 2, label: 'Loading…', kind: 'note', schema: s.name, setSize: 1, posInSet: 1 });
      } else if (tables.status === 'failed') {
        out.push({ id: `n:${s.name}:error`, level: 2, label: `Cannot list tables: ${tables.message}`, kind: 'note', schema: s.name, setSize: 1, posInSet: 1 });
      } else {
        const shown = needle ? tables.value.filter((t) => t.name.toLowerCase().includes(needle)) : tables.value;
        if (shown.length === 0) out.push({ id: `n:${s.name}:empty`, level: 2, label: needle ? 'No match' : 'No tables', kind: 'note', schema: s.name, setSize: 1, posInSet: 1 });
        shown.forEach((t, ti) =>
          out.push({ id: `t:${s.name}.${t.name}`, level: 2, label: t.name, kind: 'table', schema: s.name, table: t, setSize: shown.length, posInSet: ti + 1 }),
        );
      }
    });
    return out;
  }, [data, filter]);

  const focusable = nodes.filter((n) => n.kind !== 'note');
  // Without a table in front, the connection's own schema (its database on MySQL/MariaDB) stands first.
  const defaultSchema = data?.schemas.status === 'ready' ? data.schemas.value.find((x) => x.isDefault)?.name : undefined;
  const home = focusable.find((n) => n.id === activeTable) ?? focusable.find((n) => n.id === `s:${defaultSchema}`) ?? focusable[0];
  const current = focusable.find((n) => n.id === focusId) ?? home;

  // Another table in front: the tree follows it (selected, in view, next in the tab order).
  const follow = useEffectEvent((id: string, schema: string) => {
    setFocusId(id);
    if (data?.schemas.status === 'ready' && !data.expanded[schema] && data.schemas.value.some((x) => x.name === schema)) void setExpanded(profileId, schema, true);
    requestAnimationFrame(() => treeRef.current?.querySelector(`[data-node-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' }));
  });
  useEffect(() => {
    if (activeTable && activeSchema !== null) follow(activeTable, activeSchema);
  }, [activeTable, activeSchema]);

  const move = (id: string) => {
    setFocusId(id);
    requestAnimationFrame(() => treeRef.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`)?.focus());
  };

  const activate = (n: Node, focus = true) => {
    if (n.kind === 'schema') void setExpanded(profileId, n.schema, !n.expanded);
    else if (n.table) openTableTab(profileId, n.table, { focus });
  };

  const openMenu = (node: Node, x: number, y: number) => {
    setFocusId(node.id);
    setMenu({ node, x, y });
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!current) return;
    const i = focusable.indexOf(current);
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      const box = treeRef.current?.querySelector(`[data-node-id="${CSS.escape(current.id)}"]`)?.getBoundingClientRect();
      openMenu(current, (box?.left ?? 0) + 24, (box?.top ?? 0) + 20);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
        if (i < focusable.length - 1) move(focusable[i + 1]!.id);
        break;
      case 'ArrowUp':
        if (i > 0) move(focusable[i - 1]!.id);
        break;
      case 'Home':
        move(focusable[0]!.id);
        break;
      case 'End':
        move(focusable[focusable.length - 1]!.id);
        break;
      case 'ArrowRight':
        if (current.kind === 'schema' && !current.expanded) void setExpanded(profileId, current.schema, true);
        else if (current.kind === 'schema' && focusable[i + 1]?.level === 2) move(focusable[i + 1]!.id);
        break;
      case 'ArrowLeft':
        if (current.kind === 'schema' && current.expanded) void setExpanded(profileId, current.schema, false);
        else if (current.kind === 'table') move(`s:${current.schema}`);
        break;
      case 'Enter':
        activate(current);
        break;
      case ' ':
        // Space opens the table and stays in the tree; Enter goes to its rows.
        activate(current, false);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  if (!data || data.schemas.status === 'loading') return <p className="muted tree-note">Loading schema…</p>;
  if (data.schemas.status === 'failed')
    return (
      <div className="tree-note error-text" role="alert">
        Cannot read the schema: {data.schemas.message}{' '}
        <button className="btn btn-small" onClick={() => void loadSchemas(profileId)}>
          Retry
        </button>
      </div>
    );

  // Render nested: schema items own a group of table items.
  const schemaNodes = nodes.filter((n) => n.level === 1);
  return (
    <div className="schema-tree">
      <div className="sidebar-toolbar">
        <input className="search" type="search" placeholder="Filter tables" aria-label="Filter tables" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button className="icon-btn" title="Refresh (F5)" aria-label="Refresh schema" onClick={() => void loadSchemas(profileId)}>
          <Icon name="refresh" />
        </button>
      </div>
      <ul ref={treeRef} role="tree" aria-label={`Schema of ${props.connectionName}`} className="tree" onKeyDown={onKeyDown}>
        {schemaNodes.map((s) => {
          const children = nodes.filter((n) => n.level === 2 && n.schema === s.schema);
          return (
            <li
              key={s.id}
              role="treeitem"
              aria-level={1}
              aria-expanded={s.expanded}
              aria-setsize={s.setSize}
              aria-posinset={s.posInSet}
              aria-selected={current?.id === s.id}
              tabIndex={current?.id === s.id ? 0 : -1}
              data-node-id={s.id}
              onFocus={(e) => {
                if (e.target === e.currentTarget) setFocusId(s.id);
              }}
            >
              <div
                className="tree-row"
                onClick={() => activate(s)}
                onContextMenu={(e) => {
                  e.preventDefault();
                  openMenu(s, e.clientX, e.clientY);
                }}
              >
                <span className="twisty">{s.expanded ? '▾' : '▸'}</span>
                <span className="tree-icon">◇</span>
                <span className="tree-label">{s.label}</span>
              </div>
              {s.expanded && (
                <ul role="group">
                  {children.map((c) =>
                    c.kind === 'note' ? (
                      <li key={c.id} role="none" className="tree-row tree-note-row muted">
                        {c.label}
                      </li>
                    ) : (
                      <li
                        key={c.id}
                        role="treeitem"
                        aria-level={2}
                        aria-setsize={c.setSize}
                        aria-posinset={c.posInSet}
                        aria-selected={current?.id === c.id}
                        tabIndex={current?.id === c.id ? 0 : -1}
                        data-node-id={c.id}
                        className="tree-row tree-leaf"
                        title={c.table && c.table.estimatedRows !== null ? `${c.label} · ~${plural(c.table.estimatedRows, 'row')}` : c.label}
                        onFocus={() => setFocusId(c.id)}
                        onClick={() => {
                          setFocusId(c.id);
                          activate(c);
                        }}
                        onContextMenu={(e) => {
                          e.preventDefault();
                          openMenu(c, e.clientX, e.clientY);
                        }}
                      >
                        <span className="tree-icon">{kindIcons[c.table?.kind ?? 'table']}</span>
                        <span className="tree-label">{c.label}</span>
                      </li>
                    ),
                  )}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      {menu && (
        <TreeContextMenu
          x={menu.x}
          y={menu.y}
          label={`Actions for ${menu.node.label}`}
          onClose={() => {
            setMenu(null);
            treeRef.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(menu.node.id)}"]`)?.focus();
          }}
          items={
            menu.node.kind === 'table'
              ? [
                  { label: 'Open', run: () => activate(menu.node) },
                  { label: 'Import from a file…', run: () => setImporting({ schema: menu.node.schema, table: menu.node.label }) },
                ]
              : [{ label: 'New table from a file…', run: () => setImporting({ schema: menu.node.schema, table: null }) }]
          }
        />
      )}
      {importing && (
        <ImportDialog
          connectionId={profileId}
          schema={importing.schema}
          table={importing.table}
          onClose={() => setImporting(null)}
          onImported={(name, created) => {
            // Only this schema's tables are read again: the tree (and this dialog in it) stays.
            if (created) void loadTables(profileId, importing.schema).then(() => openTableTab(profileId, { schema: importing.schema, name }, { focus: false }));
          }}
        />
      )}
    </div>
  );
}
