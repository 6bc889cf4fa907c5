import { appStore, connectionState } from '../../../renderer/src/app/app-state';
import { connectionTools } from '../../../renderer/src/app/connection-tools';
import { useStore } from '../../../renderer/src/app/store';

/**
 * The selected open connection's tools (SQL editor, migrations, designer, cluster view…) above its
 * schema tree, so they stay one click away while tabs fill the main area.
 */
export function ConnectionToolbar({ profileId }: { profileId: string }) {
  const open = useStore(appStore, (s) => connectionState(s, profileId).open);
  if (!open) return null;
  // Tools that also work without a connection (Diagnose) belong here too: a cluster is diagnosed node by node while connected.
  const tools = connectionTools().filter((t) => !t.appliesTo || t.appliesTo(open));
  return (
    <div className="connection-toolbar" role="toolbar" aria-label="Connection tools">
      {tools.map((t) => (
        <button key={t.id} className="btn btn-small" title={t.hint} onClick={() => t.run(profileId)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
