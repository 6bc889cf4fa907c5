import { registerShortcut } from '../../../renderer/src/app/shortcuts';
import { registerTabKind } from '../../../renderer/src/app/tab-registry';
import { activeTableView } from './active-view';
import { TableTab } from './TableTab';
import './table-browser.css';

registerTabKind('table', { component: TableTab, icon: '▦', focusesItself: true });

const group = 'Table data';
const withView = (f: (v: NonNullable<ReturnType<typeof activeTableView>>) => void) => () => {
  const v = activeTableView();
  if (v) f(v);
};
const available = () => activeTableView() !== null;
registerShortcut({ id: 'table-review', keys: 'Mod+S', group, available, description: 'Review the SQL of staged changes, then apply', run: withView((v) => v.review()) });
registerShortcut({ id: 'table-filter', keys: 'Mod+F', group, available, description: 'Show or hide the filter builder', run: withView((v) => v.toggleFilter()) });
registerShortcut({ id: 'table-where', keys: 'Alt+Shift+W', group, available, description: 'Show or hide the raw SQL WHERE condition', run: withView((v) => v.toggleWhere()) });
registerShortcut({ id: 'table-sort', keys: 'Alt+S', group, available, description: 'Sort by the active column (again: descending, then unsorted)', run: withView((v) => v.sortActive(false)) });
registerShortcut({ id: 'table-sort-add', keys: 'Alt+Shift+S', group, available, description: 'Add the active column to the sort', run: withView((v) => v.sortActive(true)) });
registerShortcut({ id: 'table-export', keys: 'Mod+E', group, available, description: 'Export the view or the table', run: withView((v) => v.exportView()) });
registerShortcut({ id: 'table-reload', keys: 'Alt+F5', group, available, description: 'Read the rows again', run: withView((v) => v.refresh()) });
// Keys the grid handles where it has focus; the palette runs the actions on the table in front.
const gridKeys: [string, string, string, ((v: NonNullable<ReturnType<typeof activeTableView>>) => void) | null][] = [
  ['grid-arrows', 'Arrow keys', 'Move; with Shift, extend the selection', null],
  ['grid-page', 'PageDown', 'Down one page (PageUp: up)', null],
  ['grid-home', 'Home', 'First column (End: last column)', null],
  ['grid-ctrl-home', 'Mod+Home', 'First row (Ctrl+End: last row)', null],
  ['grid-edit', 'Enter', 'Edit the cell (or F2, or start typing)', null],
  ['grid-null', 'Backspace', 'Set the selected cells to NULL', (v) => v.setNull()],
  ['grid-delete', 'Delete', 'Delete the selected rows (staged)', (v) => v.deleteRows()],
  ['grid-insert', 'Insert', 'Insert a row (staged)', (v) => v.insertRow()],
  ['grid-duplicate', 'Mod+D', 'Duplicate the selected rows (staged)', (v) => v.duplicateRows()],
  ['grid-revert', 'Mod+Z', 'Revert the selected rows', (v) => v.revertRows()],
  ['grid-copy', 'Mod+C', 'Copy the selection as TSV', (v) => v.copy('tsv')],
  ['grid-panel', 'F3', 'Show the value viewer and references', (v) => v.togglePanel()],
];
for (const [id, keys, description, action] of gridKeys) {
  registerShortcut({ id, keys, group, description, helpOnly: true, available, inPalette: action !== null, run: action ? withView(action) : () => undefined });
}
