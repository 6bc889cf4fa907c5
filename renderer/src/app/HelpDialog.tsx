import { Dialog } from '../ui/Dialog';
import { appStore } from './app-state';
import { displayKeys, listShortcuts } from './shortcuts';

export function HelpDialog() {
  const groups = new Map<string, ReturnType<typeof listShortcuts>>();
  for (const s of listShortcuts().filter((x) => x.keys)) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  return (
    <Dialog title="Keyboard shortcuts" scrollableBody onClose={() => appStore.set({ helpOpen: false })}>
      {[...groups].map(([group, list]) => (
        <section key={group} className="shortcut-group">
          <h3>{group}</h3>
          <table className="shortcut-table">
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>
                    <kbd>{displayKeys(s.keys)}</kbd>
                  </td>
                  <td>{s.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Dialog>
  );
}
