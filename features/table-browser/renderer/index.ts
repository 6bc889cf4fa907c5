import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { activeTableView } from './active-view';
import { TableTab } from './TableTab';
import './table-browser.css';

registerTabKind('table', { component: TableTab, icon: '▦' });

const group = 'Table data';
const withView = (f: (v: NonNullable<ReturnType<typeof activeTableView>>) => void) => () => {
  const v = activeTableView();
  if (v) f(v);
};
registerShortcut({ id: 'table-review', keys: 'Mod+S', group, description: 'Review the SQL of staged changes, then apply', run: withView((v) => v.review()) });
registerShortcut({ id: 'table-filter', keys: 'Mod+F', group, description: 'Show or hide the filter builder', run: withView((v) => v.toggleFilter()) });
registerShortcut({ id: 'table-export', keys: 'Mod+E', group, description: 'Export the view or the table', run: withView((v) => v.exportView()) });
registerShortcut({ id: 'table-reload', keys: 'Alt+F5', group, description: 'Read the rows again', run: withView((v) => v.refresh()) });
// Keys the grid handles where it has focus; listed for the help dialog.
const gridKeys: [string, string, string][] = [
  ['grid-arrows', 'Arrow keys', 'Move; with Shift, extend the selection'],
  ['grid-page', 'PageDown', 'Down one page (PageUp: up)'],
  ['grid-home', 'Home', 'First column (End: last column)'],
  ['grid-ctrl-home', 'Mod+Home', 'First row (Ctrl+End: last row)'],
  ['grid-edit', 'Enter', 'Edit the cell (or F2, or start typing)'],
  ['grid-null', 'Backspace', 'Set the selected cells to NULL'],
  ['grid-delete', 'Delete', 'Delete the selected rows (staged)'],
  ['grid-insert', 'Insert', 'Insert a row (staged)'],
  ['grid-duplicate', 'Mod+D', 'Duplicate the selected rows (staged)'],
  ['grid-revert', 'Mod+Z', 'Revert the selected rows'],
  ['grid-copy', 'Mod+C', 'Copy the selection as TSV'],
  ['grid-panel', 'F3', 'Show the value viewer and references'],
];
for (const [id, keys, description] of gridKeys) registerShortcut({ id, keys, group, description, helpOnly: true, run: () => undefined });
